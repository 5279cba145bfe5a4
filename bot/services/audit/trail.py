from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEvent, Coach


def record(
    session: AsyncSession,
    *,
    at: datetime,
    action: str,
    outcome: str,
    actor: Coach | None = None,
    telegram_id: int | None = None,
    subject: str | None = None,
    detail: str | None = None,
) -> AuditEvent:
    """Adds an audit row to the caller's transaction, so it commits or rolls back with the act."""
    event = AuditEvent(**_values(at, action, outcome, actor, telegram_id, subject, detail))
    session.add(event)
    return event


# A plain INSERT on the table: no ORM object, no unit of work at commit.
_INSERT = insert(AuditEvent.metadata.tables[AuditEvent.__tablename__])


async def write(
    session: AsyncSession,
    *,
    at: datetime,
    action: str,
    outcome: str,
    actor: Coach | None = None,
    telegram_id: int | None = None,
    subject: str | None = None,
    detail: str | None = None,
) -> None:
    """As `record`, but the row is inserted at once, as a plain INSERT: where the ORM's flush
    at commit would cost more than the act itself (a look-up from the road, a refusal) or
    stands on the way to a crisis's first alert."""
    row = _values(at, action, outcome, actor, telegram_id, subject, detail)
    await session.execute(_INSERT, row)


def _values(
    at: datetime,
    action: str,
    outcome: str,
    actor: Coach | None,
    telegram_id: int | None,
    subject: str | None,
    detail: str | None,
) -> dict[str, Any]:
    return {
        "at": at,
        "action": action,
        "outcome": outcome,
        "actor_coach_id": actor.id if actor else None,
        "actor_telegram_id": telegram_id if telegram_id is not None else _tg(actor),
        "subject": subject,
        "detail": detail[:500] if detail else None,
    }


def _tg(actor: Coach | None) -> int | None:
    return actor.telegram_user_id if actor else None
