"""The audit trail as CSV for the privacy officer: every event since a local date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.models import AuditEvent, Coach
from bot.services import csv_export

COLUMNS = ("at", "actor", "actor_telegram_id", "action", "subject", "outcome", "detail")


def day_start(day: date, tz: tzinfo) -> datetime:
    """Local midnight of `day`, as a UTC instant."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


async def rows_since(
    session: AsyncSession, since: datetime, tz: tzinfo
) -> Iterator[tuple[str, ...]]:
    actor = aliased(Coach)
    result = await session.execute(
        select(AuditEvent, actor.name)
        .outerjoin(actor, actor.id == AuditEvent.actor_coach_id)
        .where(AuditEvent.at >= since)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    rows = []
    for event, name in result.all():
        rows.append(
            (
                event.at.astimezone(tz).isoformat(timespec="seconds"),
                name or "",
                "" if event.actor_telegram_id is None else str(event.actor_telegram_id),
                event.action,
                event.subject or "",
                event.outcome,
                event.detail or "",
            )
        )
    return iter(rows)


def to_csv(rows: Iterator[tuple[str, ...]]) -> tuple[str, int]:
    """The CSV text (header first) and how many events it holds; formula cells neutralised."""
    return csv_export.to_csv(COLUMNS, rows)
