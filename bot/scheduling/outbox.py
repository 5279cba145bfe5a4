"""Storing, claiming and settling outbox rows (bot/models/outbox.py). No Telegram here."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import OutboxMessage, OutboxStatus

MAX_ATTEMPTS = 8
# Crisis alerts: retried fast and long, and resent after a crash (a family in crisis must not
# be lost to a crash; a second copy of an alert is the lesser harm).
URGENT_KINDS = frozenset({"alert", "alert_taken", "alert_unanswered"})
URGENT_MAX_ATTEMPTS = 30


def backoff(attempts: int, urgent: bool = False) -> timedelta:
    """Wait before retry number `attempts`: 5 s, 10 s, 20 s … capped at 10 minutes; for urgent
    kinds 1 s, 2 s, 4 s … capped at 30 seconds."""
    if urgent:
        return timedelta(seconds=min(30, 2 ** max(0, attempts - 1)))
    return timedelta(seconds=min(600, 5 * 2 ** max(0, attempts - 1)))


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    due_at: datetime,
    now: datetime,
    coach_id: int | None = None,
    chat_id: int | None = None,
    payload: dict[str, Any] | None = None,
    claimed: bool = False,
) -> bool:
    """Adds the message unless one with this key exists; True when it was new. Safe against a
    second planner doing the same at the same moment: the database decides. A claimed message
    is stored as being sent, for the caller to send itself right after committing."""
    if (coach_id is None) == (chat_id is None):
        raise ValueError("give exactly one of coach_id and chat_id")
    values = {
        "key": key,
        "kind": kind,
        "coach_id": coach_id,
        "chat_id": chat_id,
        "payload": payload or {},
        "due_at": due_at,
        "status": OutboxStatus.SENDING if claimed else OutboxStatus.PENDING,
        "attempts": 1 if claimed else 0,
        "created_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["key"])
    )
    result = await session.execute(statement)
    return bool(result.rowcount)


async def claim_due(session: AsyncSession, now: datetime, limit: int = 50) -> list[OutboxMessage]:
    """Marks due pending rows as being sent and returns them; commit before sending. On
    PostgreSQL rows another instance is claiming are skipped rather than waited for.

    Each row is claimed by an update that only succeeds while it is still pending: SQLite
    ignores FOR UPDATE, so two dispatchers running at once (the /crisis handler and the
    alert tick) may both select a row, and only one of them may send it."""
    rows = list(
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= now)
            # Crisis alerts first: a backlog of roster notices must not hold one up.
            .order_by(
                case((OutboxMessage.kind.in_(URGENT_KINDS), 0), else_=1),
                OutboxMessage.due_at,
                OutboxMessage.id,
            )
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    claimed = []
    for row in rows:
        result = await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SENDING, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            await session.refresh(row)
            claimed.append(row)
    return claimed


def mark_sent(row: OutboxMessage, now: datetime, message_id: int | None) -> None:
    row.status = OutboxStatus.SENT
    row.sent_at = now
    row.message_id = message_id


def mark_obsolete(row: OutboxMessage, reason: str) -> None:
    row.status = OutboxStatus.OBSOLETE
    row.last_error = reason


def mark_failed(row: OutboxMessage, error: str) -> None:
    row.status = OutboxStatus.FAILED
    row.last_error = error[:1000]


def retry_later(
    row: OutboxMessage, now: datetime, error: str, wait: timedelta | None = None
) -> None:
    """Back to pending after a transient failure (after `wait` when Telegram said how long),
    or failed after too many attempts."""
    urgent = row.kind in URGENT_KINDS
    if row.attempts >= (URGENT_MAX_ATTEMPTS if urgent else MAX_ATTEMPTS):
        mark_failed(row, f"gave up after {row.attempts} attempts: {error}")
        return
    row.status = OutboxStatus.PENDING
    row.last_error = error[:1000]
    row.due_at = now + (wait if wait is not None else backoff(row.attempts, urgent))


async def recover_interrupted(session: AsyncSession) -> int:
    """Rows left 'sending' by a crash may or may not have reached Telegram, which has no way to
    ask. Roster notices are informative, so a possible duplicate is worse than a possible loss:
    they are marked failed (and logged by the caller). Urgent ones are sent again."""
    sending = OutboxMessage.status == OutboxStatus.SENDING
    urgent = OutboxMessage.kind.in_(URGENT_KINDS)
    await session.execute(
        update(OutboxMessage).where(sending, urgent).values(status=OutboxStatus.PENDING)
    )
    result = await session.execute(
        update(OutboxMessage)
        .where(sending)
        .values(status=OutboxStatus.FAILED, last_error="interrupted while sending")
    )
    return result.rowcount or 0
