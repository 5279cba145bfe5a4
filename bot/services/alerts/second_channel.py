"""When an alert message also goes out on the second channel (Apprise: e-mail, SMS, …), and
to which destinations. No Telegram and no sending here: a fallback is an outbox row, stored
in the transaction that found it was needed, so a crash can neither lose nor double it.

One row per alert message (its key derives from the message's key): whatever made it needed
first (Telegram refused it, kept failing, or nobody took the alert in time), the recipient
gets one second-channel message per destination for that step. What it says is decided when
it is sent (bot/scheduling/second_channel.py): a taken alert sends nothing more."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.second_channel import channel_id
from bot.config.team import TeamConfig
from bot.models import Alert, AlertRecipient, AlertStatus, Coach, OutboxMessage, Role
from bot.scheduling import outbox
from bot.services.cases import holders
from bot.services.rosters import in_force
from bot.services.rosters.store import member_key

KIND = "alert_fallback"
# What made it needed, for the audit log.
REFUSED = "refused"  # Telegram refused the message: blocked bot, never started
FAILING = "failing"  # Telegram kept failing
LATE = "late"  # delivered (or not), and nobody took the alert in time


def key_for(message_key: str) -> str:
    return f"fallback:{message_key}"


async def destinations(
    session: AsyncSession, config: TeamConfig, coach: Coach, now: datetime
) -> list[str]:
    """The coach's own URLs, then those of every duty they hold at `now`, each once."""
    second = config.second_channel
    wanted = member_key(coach.name)
    urls = [u for name, own in second.members.items() if member_key(name) == wanted for u in own]
    if second.duties:
        held = await in_force.load(session, config, now)
        for duty, duty_urls in second.duties.items():
            shift = held.holder(duty)
            if shift is not None and shift.holder and member_key(shift.holder) == wanted:
                urls += duty_urls
    return list(dict.fromkeys(urls))


async def fall_back(
    session: AsyncSession,
    config: TeamConfig,
    *,
    message_key: str,
    alert_id: int,
    coach: Coach,
    why: str,
    now: datetime,
) -> bool:
    """Stores the fallback for one alert message, due now, if the coach has a destination
    and none was stored for it yet; True when it was stored. The caller commits."""
    urls = await destinations(session, config, coach, now)
    if not urls:
        return False
    return await outbox.enqueue(
        session,
        key=key_for(message_key),
        kind=KIND,
        coach_id=coach.id,
        due_at=now,
        now=now,
        payload={
            "alert_id": alert_id,
            "of": message_key,
            "why": why,
            # Destinations by hash (the URLs hold credentials) and those already reached,
            # so a retry after a partial failure reaches only the rest.
            "to": [channel_id(url) for url in urls],
            "done": [],
        },
    )


_FALLBACK_KEY = literal("fallback:") + AlertRecipient.outbox_key
_WAITING = (
    select(AlertRecipient, Coach)
    .join(Alert, Alert.id == AlertRecipient.alert_id)
    .join(Coach, Coach.id == AlertRecipient.coach_id)
    .outerjoin(OutboxMessage, OutboxMessage.key == _FALLBACK_KEY)
    .where(
        Alert.status == AlertStatus.OPEN,
        AlertRecipient.declined_at.is_(None),
        AlertRecipient.created_at <= bindparam("since"),
        OutboxMessage.id.is_(None),
    )
    .order_by(AlertRecipient.created_at)
    .limit(bindparam("limit"))
)


async def plan_late(
    session: AsyncSession, config: TeamConfig, now: datetime, limit: int = 100
) -> list[int]:
    """Stores a fallback for every alert message nobody answered within `after` of sending
    it (while the alert is open and the recipient did not say 'can't'); returns the alert
    ids. Part of the alert tick; the caller commits."""
    second = config.second_channel
    if second.after is None or not second.configured:
        return []
    waiting = await session.execute(_WAITING, {"since": now - second.after, "limit": limit})
    stored = []
    for recipient, coach in waiting.all():
        if await fall_back(
            session,
            config,
            message_key=recipient.outbox_key,
            alert_id=recipient.alert_id,
            coach=coach,
            why=LATE,
            now=now,
        ):
            stored.append(recipient.alert_id)
    return stored


def _recipient_of(message_key: str) -> tuple[int, int] | None:
    """(alert id, coach id) from an alert message's key, alert:{id}:{round}:{step}:{coach}."""
    parts = message_key.split(":")
    if len(parts) != 5 or parts[0] != "alert":
        return None
    return int(parts[1]), int(parts[4])


async def telegram_failed(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, why: str, now: datetime
) -> bool:
    """The dispatcher's report that an alert message was refused or keeps failing."""
    if not config.second_channel.configured:
        return False
    if why == FAILING and row.attempts < config.second_channel.failures:
        return False
    found = _recipient_of(row.key)
    coach = await session.get(Coach, row.coach_id) if row.coach_id is not None else None
    if found is None or coach is None:
        return False
    status = await session.scalar(select(Alert.status).where(Alert.id == found[0]))
    if status != AlertStatus.OPEN:
        return False
    return await fall_back(
        session, config, message_key=row.key, alert_id=found[0], coach=coach, why=why, now=now
    )


async def takeable(session: AsyncSession, coach: Coach, alert_ids: list[int]) -> set[int]:
    """Which of these open alerts `coach` may take from /alerts: those sent to them (whose
    message Telegram may have refused: the second channel then told them to come here), and
    every one for a team lead. The take itself decides again (lifecycle.take)."""
    if not alert_ids or not holders.may_hold(coach):
        return set()
    if coach.role == Role.TEAMLEAD:
        return set(alert_ids)
    found = await session.scalars(
        select(AlertRecipient.alert_id).where(
            AlertRecipient.alert_id.in_(alert_ids), AlertRecipient.coach_id == coach.id
        )
    )
    return set(found)
