"""Invite codes and linking a Telegram account to a coach.

Codes are random, single-use, expire, and only their SHA-256 is stored: with ~60 bits of
entropy and a lockout after a few wrong tries, a slow password hash would add nothing.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import EnrolmentConfig
from bot.models import Coach, EnrolmentLockout, InviteCode
from bot.services.audit import trail as audit

# No 0/O, 1/I/L: codes are sometimes read aloud or typed over from a screen.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


async def create_invite(
    session: AsyncSession, coach: Coach, *, now: datetime, rules: EnrolmentConfig
) -> tuple[str, datetime]:
    """A fresh code for the coach; earlier unused codes stop working."""
    await session.execute(
        update(InviteCode)
        .where(InviteCode.coach_id == coach.id, InviteCode.used_at.is_(None))
        .values(used_at=now)
    )
    code = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + timedelta(days=rules.invite_valid_days)
    session.add(
        InviteCode(coach_id=coach.id, code_hash=_hash(code), created_at=now, expires_at=expires)
    )
    audit.record(session, at=now, action="invite.create", outcome="ok", subject=coach.name)
    await session.flush()
    return code, expires


class Outcome(enum.Enum):
    ENROLLED = "enrolled"
    WRONG_CODE = "wrong_code"
    EXPIRED = "expired"
    LOCKED = "locked"
    ALREADY_LINKED = "already_linked"


@dataclass(frozen=True)
class Redemption:
    outcome: Outcome
    coach: Coach | None = None
    locked_until: datetime | None = None


async def redeem(
    session: AsyncSession,
    *,
    telegram_user_id: int,
    raw_code: str,
    now: datetime,
    rules: EnrolmentConfig,
    language: str | None = None,
) -> Redemption:
    """Links the Telegram account to the coach the code was made for, if all is well.

    The caller commits: wrong tries must be committed too, or the lockout would not count them.
    """
    lock = await session.get(EnrolmentLockout, telegram_user_id)
    if lock and lock.locked_until and lock.locked_until > now:
        _audit(session, now, telegram_user_id, "locked")
        return Redemption(Outcome.LOCKED, locked_until=lock.locked_until)

    linked = await session.scalar(select(Coach).where(Coach.telegram_user_id == telegram_user_id))
    if linked is not None and linked.active:
        return Redemption(Outcome.ALREADY_LINKED, coach=linked)

    invite = await session.scalar(
        select(InviteCode).where(InviteCode.code_hash == _hash(normalise_code(raw_code)))
    )
    if invite is None or invite.used_at is not None:
        return _wrong_code(session, lock, telegram_user_id, now, rules)
    if invite.expires_at <= now:
        _audit(session, now, telegram_user_id, "expired")
        return Redemption(Outcome.EXPIRED)

    coach = await session.get(Coach, invite.coach_id)
    if coach is None or not coach.active:
        return _wrong_code(session, lock, telegram_user_id, now, rules)
    if linked is not None:
        # A deactivated record still holds this account; the unique link must move.
        linked.telegram_user_id = None
        await session.flush()
    invite.used_at = now
    # A new phone means a new account: the old one loses access with this.
    coach.telegram_user_id = telegram_user_id
    coach.enrolled_at = now
    if language:
        coach.language = language
    if lock is not None:
        await session.delete(lock)
    audit.record(session, at=now, action="enrol", outcome="ok", actor=coach, subject=coach.name)
    return Redemption(Outcome.ENROLLED, coach=coach)


def _wrong_code(
    session: AsyncSession,
    lock: EnrolmentLockout | None,
    telegram_user_id: int,
    now: datetime,
    rules: EnrolmentConfig,
) -> Redemption:
    window = timedelta(minutes=rules.lockout_minutes)
    if lock is None:
        lock = EnrolmentLockout(telegram_user_id=telegram_user_id, failed_attempts=0)
        session.add(lock)
    elif lock.last_failed_at is None or now - lock.last_failed_at > window:
        # Old mistakes are forgiven: only a burst of wrong codes looks like guessing.
        lock.failed_attempts = 0
    lock.failed_attempts += 1
    lock.last_failed_at = now
    if lock.failed_attempts >= rules.max_failed_codes:
        lock.locked_until = now + window
        lock.failed_attempts = 0
        _audit(session, now, telegram_user_id, "locked_out")
        return Redemption(Outcome.LOCKED, locked_until=lock.locked_until)
    _audit(session, now, telegram_user_id, "wrong_code")
    return Redemption(Outcome.WRONG_CODE)


def _audit(session: AsyncSession, now: datetime, telegram_user_id: int, outcome: str) -> None:
    audit.record(session, at=now, action="enrol", outcome=outcome, telegram_id=telegram_user_id)


def invite_candidates(text: str) -> set[str]:
    """Every string in a message that could be an invite code: each word, and the words after
    /start run together (as `redeem` reads them), also inside a t.me link."""
    words = text.replace("?start=", " ").replace("=", " ").split()
    if words and words[0].lower().startswith("/start"):
        words.append("".join(words[1:]))
    found = set()
    for word in words:
        code = normalise_code(word)
        if len(code) == CODE_LENGTH and all(ch in _ALPHABET for ch in code):
            found.add(code)
    return found


async def cancel_seen_invites(session: AsyncSession, codes: set[str], now: datetime) -> int:
    """Unused invite codes among `codes` stop working; returns how many did."""
    hashes = [_hash(code) for code in codes]
    owners = (
        await session.scalars(
            select(InviteCode.coach_id).where(
                InviteCode.code_hash.in_(hashes), InviteCode.used_at.is_(None)
            )
        )
    ).all()
    if not owners:
        return 0
    await session.execute(
        update(InviteCode)
        .where(InviteCode.code_hash.in_(hashes), InviteCode.used_at.is_(None))
        .values(used_at=now)
    )
    for coach_id in owners:
        coach = await session.get(Coach, coach_id)
        audit.record(
            session,
            at=now,
            action="invite.cancel",
            outcome="seen_in_group",
            subject=coach.name if coach else None,
        )
    return len(owners)
