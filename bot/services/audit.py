from __future__ import annotations

from datetime import datetime

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
    event = AuditEvent(
        at=at,
        action=action,
        outcome=outcome,
        actor_coach_id=actor.id if actor else None,
        actor_telegram_id=telegram_id if telegram_id is not None else _tg(actor),
        subject=subject,
        detail=detail[:500] if detail else None,
    )
    session.add(event)
    return event


def _tg(actor: Coach | None) -> int | None:
    return actor.telegram_user_id if actor else None
