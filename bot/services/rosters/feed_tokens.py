"""The secret tokens of live roster links: one per answering-service consumer (made and
revoked with the CLI) and one per coach's calendar subscription (/calendar, /calendar
reset). A token is 256 random bits, shown once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import rowcount
from bot.models import Coach, FeedToken

# secrets.token_urlsafe(32): 43 characters of [A-Za-z0-9_-].
TOKEN_BYTES = 32
TOKEN_MAX = 100  # longer than any token we hand out: not looked up at all


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _owned(kind: str, consumer: str | None, coach_id: int | None) -> list[ColumnElement[bool]]:
    found = [FeedToken.kind == kind, FeedToken.revoked_at.is_(None)]
    if coach_id is not None:
        found.append(FeedToken.coach_id == coach_id)
    else:
        found.append(FeedToken.consumer == consumer)
    return found


async def issue(
    session: AsyncSession,
    *,
    kind: str,
    now: datetime,
    consumer: str | None = None,
    coach_id: int | None = None,
) -> str:
    """A new token for the consumer or coach; an older one of theirs stops working. The
    caller commits and shows the token (it cannot be read back)."""
    await revoke(session, kind=kind, now=now, consumer=consumer, coach_id=coach_id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        FeedToken(
            kind=kind,
            consumer=consumer,
            coach_id=coach_id,
            token_hash=digest(token),
            created_at=now,
        )
    )
    await session.flush()
    return token


async def revoke(
    session: AsyncSession,
    *,
    kind: str,
    now: datetime,
    consumer: str | None = None,
    coach_id: int | None = None,
) -> int:
    """How many working tokens stopped working."""
    done = await session.execute(
        update(FeedToken)
        .where(*_owned(kind, consumer, coach_id))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(done)


async def active(session: AsyncSession, kind: str) -> list[FeedToken]:
    found = await session.scalars(
        select(FeedToken)
        .where(FeedToken.kind == kind, FeedToken.revoked_at.is_(None))
        .order_by(FeedToken.consumer, FeedToken.created_at)
    )
    return list(found)


async def holder(session: AsyncSession, kind: str, token: str) -> FeedToken | None:
    """The working token's row; None for anything else (unknown, revoked, another kind's,
    or a calendar of someone no longer active), so the caller answers all of them alike."""
    if not token or len(token) > TOKEN_MAX:
        return None
    found = await session.scalar(
        select(FeedToken).where(
            FeedToken.token_hash == digest(token),
            FeedToken.kind == kind,
            FeedToken.revoked_at.is_(None),
        )
    )
    if found is None or found.coach_id is None:
        return found
    coach = await session.get(Coach, found.coach_id)
    return found if coach is not None and coach.active else None


async def of_coach(session: AsyncSession, kind: str, coach_id: int) -> FeedToken | None:
    """The coach's working token of this kind, if any."""
    return await session.scalar(select(FeedToken).where(*_owned(kind, None, coach_id)))
