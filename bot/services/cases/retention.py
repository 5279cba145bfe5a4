"""Retention: operational notes of a case closed longer than the retention period (national
guideline: two years) are purged. The case itself, its dates and the audit trail stay; the
purge of each case is itself audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Alert, AlertStatus, Case, CaseContact
from bot.services.audit import trail as audit

# Alert.text cannot be empty: this is what a purged alert says.
PURGED_TEXT = "—"
# Open or taken alerts are still being handled: never purged from under a coach.
FINISHED = (AlertStatus.RESOLVED, AlertStatus.UNANSWERED)


@dataclass(frozen=True)
class Purged:
    code: str
    end_date: date
    notes: int  # contact notes emptied
    alerts: int  # crisis alerts whose text and note were emptied


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def _alert_has_content() -> ColumnElement[bool]:
    return or_(Alert.text != PURGED_TEXT, Alert.note.is_not(None))


async def purge(
    session: AsyncSession,
    *,
    retention_months: int,
    today: date,
    now: datetime,
    dry_run: bool = False,
) -> list[Purged]:
    """Cases closed (end date set) before today minus the retention period that still hold
    notes. Running it again finds nothing: a purged case has nothing left to purge.
    With dry_run nothing changes and nothing is audited. Caller commits."""
    cutoff = months_before(today, retention_months)
    cases = list(
        await session.scalars(
            select(Case)
            .where(Case.end_date.is_not(None), Case.end_date < cutoff)
            .order_by(Case.code)
        )
    )
    done = []
    for case in cases:
        closed = case.end_date
        if closed is None:  # the query picks closed cases only
            continue
        notes = await session.scalar(
            select(func.count())
            .select_from(CaseContact)
            .where(CaseContact.case_id == case.id, CaseContact.note.is_not(None))
        )
        alert_filter = (Alert.case_id == case.id, Alert.status.in_(FINISHED), _alert_has_content())
        alerts = await session.scalar(select(func.count()).select_from(Alert).where(*alert_filter))
        if not notes and not alerts:
            continue
        done.append(Purged(case.code, closed, notes or 0, alerts or 0))
        if dry_run:
            continue
        await session.execute(
            update(CaseContact)
            .where(CaseContact.case_id == case.id, CaseContact.note.is_not(None))
            .values(note=None)
        )
        await session.execute(
            update(Alert).where(*alert_filter).values(text=PURGED_TEXT, note=None)
        )
        audit.record(
            session,
            at=now,
            action="case.purge",
            outcome="purged",
            subject=case.code,
            detail=(
                f"closed {closed.isoformat()}; {notes or 0} contact notes, {alerts or 0} alerts"
            ),
        )
    return done
