"""What the scheduler does about running visits: the reminder before the expected end, the
last call after the grace period, then the safety alert. Each step is claimed with one
conditional update and its message stored in the outbox in the same transaction, so it
happens exactly once, also after a crash or on a second instance. A step that is already
late (the bot was down) is skipped for the latest one due: the alarm is never held up by
reminders nobody can use any more."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.db import rowcount
from bot.models import Alert, AlertStatus, Visit, VisitLocation, VisitStage, VisitStatus
from bot.scheduling.outbox import enqueue
from bot.services.audit import trail as audit
from bot.services.visits.lifecycle import deadline, raise_for

REMINDER_KIND = "visit_reminder"
LAST_CALL_KIND = "visit_last_call"
ALERTED_KIND = "visit_alerted"
# Locations are never kept longer than this, whatever happens to the visit.
LOCATION_LIMIT = timedelta(hours=24)

_DUE = (
    select(Visit)
    .where(Visit.status == VisitStatus.RUNNING, Visit.next_at <= bindparam("now"))
    .order_by(Visit.next_at)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)
_NEXT = select(func.min(Visit.next_at)).where(Visit.status == VisitStatus.RUNNING)


def _stage_due(config: TeamConfig, visit: Visit, now: datetime) -> VisitStage:
    """The latest stage whose time has come."""
    end = visit.expected_end
    assert end is not None
    v = config.visits
    if now >= end + v.grace + v.last_call:
        return VisitStage.ALERTED
    if now >= end + v.grace or end - v.reminder_before <= visit.started_at:
        return VisitStage.LAST_CALL
    return VisitStage.REMINDED


async def due(
    session: AsyncSession, config: TeamConfig, now: datetime, limit: int = 10
) -> list[int]:
    """Takes the due step of at most `limit` visits; returns their ids."""
    visits = list(await session.scalars(_DUE, {"now": now, "limit": limit}))
    for visit in visits:
        await _step(session, config, visit, now)
    await _end_resolved(session, now)
    return [visit.id for visit in visits]


async def _step(session: AsyncSession, config: TeamConfig, visit: Visit, now: datetime) -> None:
    stage = _stage_due(config, visit, now)
    if stage == VisitStage.ALERTED:
        raised = await raise_for(session, config, visit, now, sos=False)
        if raised is not None:
            await _tell(session, visit, ALERTED_KIND, now)
        return
    claimed = await session.execute(
        update(Visit)
        .where(
            Visit.id == visit.id,
            Visit.stage == visit.stage,
            Visit.status == VisitStatus.RUNNING,
            Visit.alert_id.is_(None),
        )
        .values(stage=stage)
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:
        return
    await session.refresh(visit)
    visit.next_at = deadline(config.visits, visit)
    await _tell(
        session, visit, REMINDER_KIND if stage == VisitStage.REMINDED else LAST_CALL_KIND, now
    )


async def _tell(session: AsyncSession, visit: Visit, kind: str, now: datetime) -> None:
    assert visit.expected_end is not None
    await enqueue(
        session,
        # One per end: an extended visit is reminded again.
        key=f"{kind}:{visit.id}:{visit.expected_end.isoformat()}",
        kind=kind,
        coach_id=visit.coach_id,
        due_at=now,
        now=now,
        payload={"visit_id": visit.id},
    )
    await session.flush()


async def _end_resolved(session: AsyncSession, now: datetime) -> None:
    """A safety alert closed by whoever took it ends its visit (and deletes the location)."""
    ended = list(
        await session.scalars(
            select(Visit.id)
            .join(Alert, Alert.id == Visit.alert_id)
            .where(Visit.status == VisitStatus.RUNNING, Alert.status == AlertStatus.RESOLVED)
        )
    )
    if not ended:
        return
    await session.execute(
        update(Visit)
        .where(Visit.id.in_(ended), Visit.status == VisitStatus.RUNNING)
        .values(
            status=VisitStatus.ENDED, ended_at=now, ended_how="resolved", next_at=None, note=None
        )
        .execution_options(synchronize_session=False)
    )
    await session.execute(delete(VisitLocation).where(VisitLocation.visit_id.in_(ended)))
    for visit_id in ended:
        audit.record(
            session, at=now, action="visit.resolved", outcome="ok", detail=f"visit {visit_id}"
        )


async def next_deadline(session: AsyncSession) -> datetime | None:
    return await session.scalar(_NEXT)


async def purge_locations(session: AsyncSession, config: TeamConfig, now: datetime) -> int:
    """Deletes locations of visits that ended, and any older than a day; pending visits
    nobody finished within a day end."""
    cutoff = now - LOCATION_LIMIT
    old = select(Visit.id).where((Visit.status == VisitStatus.ENDED) | (Visit.started_at < cutoff))
    gone = await session.execute(
        delete(VisitLocation).where(
            VisitLocation.visit_id.in_(old) | (VisitLocation.updated_at < cutoff)
        )
    )
    await session.execute(
        update(Visit)
        .where(Visit.status == VisitStatus.PENDING, Visit.started_at < cutoff)
        .values(status=VisitStatus.ENDED, ended_at=now, ended_how="expired")
    )
    return rowcount(gone) or 0
