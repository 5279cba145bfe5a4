"""Safe home visits: announcing one, checking out, extending, SOS and the shared location.
No Telegram here. Every change is one conditional update on the visit's row, so a check-out
and the scheduler's alarm (or two instances) cannot both win."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.config.visits import VisitConfig
from bot.db import rowcount
from bot.models import (
    Alert,
    AlertStatus,
    Case,
    Coach,
    Visit,
    VisitLocation,
    VisitStage,
    VisitStatus,
)
from bot.services.alerts import closing as alert_closing
from bot.services.alerts import lifecycle as alerts
from bot.services.alerts import messages as alert_messages
from bot.services.alerts.codes import find_case
from bot.services.alerts.lifecycle import Raised
from bot.services.audit import trail as audit
from bot.services.cases import access as case_access
from bot.services.visits.input import VisitRequest, end_of
from bot.texts.visits import Place, SafetyFacts

LIVE = (VisitStatus.PENDING, VisitStatus.RUNNING)


class Refusal(enum.StrEnum):
    CODE_NOT_YOURS = "code_not_yours"  # unknown, or a family the coach may not see
    BAD_TIME = "bad_time"  # in the past, or longer than a visit may be
    NO_VISIT = "no_visit"
    ALERT_RUNNING = "alert_running"  # extend while a safety alert runs


def deadline(config: VisitConfig, visit: Visit) -> datetime | None:
    """When the visit's next stage is due."""
    end = visit.expected_end
    if visit.status != VisitStatus.RUNNING or end is None:
        return None
    if visit.stage == VisitStage.NONE:
        remind = end - config.reminder_before
        # A visit shorter than the reminder's lead gets no reminder: the last call comes.
        return remind if remind > visit.started_at else end + config.grace
    if visit.stage == VisitStage.REMINDED:
        return end + config.grace
    if visit.stage == VisitStage.LAST_CALL:
        return end + config.grace + config.last_call
    return None


async def current(session: AsyncSession, coach: Coach) -> Visit | None:
    """The coach's visit that is pending or running, if any."""
    return await session.scalar(
        select(Visit)
        .where(Visit.coach_id == coach.id, Visit.status.in_(LIVE))
        .order_by(Visit.id.desc())
        .limit(1)
    )


async def _may_name(session: AsyncSession, coach: Coach, code: str, now: datetime) -> Case | None:
    case = await find_case(session, code)
    if case is None:
        return None
    seen, _ = await case_access.visibility_for(session, coach, case, now)
    return case if seen == case_access.Visibility.FULL else None


async def start(
    session: AsyncSession,
    config: TeamConfig,
    coach: Coach,
    request: VisitRequest,
    now: datetime,
    written_at: datetime | None = None,
) -> Visit | Refusal:
    """Announces a visit; without an end it waits (pending) for the coach to pick a length.
    A visit already running is replaced: the coach is starting the next one. A /visit that
    reached the bot late (alerts.late_after after `written_at`, when it was sent: the bot was
    down, or the network) began when it was sent: its length or 'until' counts from then, so
    its safety net starts no later than the visit did (started_at says so). An end that had
    passed by now is moved to now: the coach is asked whether they are back before anyone is
    alerted, not alarmed over a message that came late."""
    # A message's date is cut to the second: one on time counts from now.
    began = now
    if written_at is not None and config.alerts.arrived_late(written_at, now):
        began = written_at
    code = None
    if request.code is not None:
        case = await _may_name(session, coach, request.code, now)
        if case is None:
            return Refusal.CODE_NOT_YOURS
        code = case.code
    end = end_of(request, began, config.tz)
    too_long = end is None or end - began > config.visits.max_length
    if (request.length or request.until) and too_long:
        return Refusal.BAD_TIME
    previous = await current(session, coach)
    if previous is not None and previous.alert_id is not None:
        # Colleagues are on their way: only a check-out may end that visit.
        return Refusal.ALERT_RUNNING
    if previous is not None:
        await _end(session, previous, now, "replaced")
    visit = Visit(
        coach_id=coach.id,
        case_code=code,
        note=request.note,
        started_at=began,
        status=VisitStatus.PENDING,
        stage=VisitStage.NONE,
    )
    session.add(visit)
    await session.flush()
    if end is not None:
        _run_until(config.visits, visit, max(end, now))
    audit.record(
        session,
        at=now,
        action="visit.start",
        outcome="ok",
        actor=coach,
        subject=code,
        detail=f"visit {visit.id}",
    )
    await session.flush()
    return visit


def _run_until(config: VisitConfig, visit: Visit, end: datetime) -> None:
    visit.status = VisitStatus.RUNNING
    visit.expected_end = end
    visit.stage = VisitStage.NONE
    visit.next_at = deadline(config, visit)


async def _mine(session: AsyncSession, coach: Coach, visit_id: int | None) -> Visit | None:
    if visit_id is None:
        return await current(session, coach)
    visit = await session.get(Visit, visit_id, with_for_update=True)
    ok = visit is not None and visit.coach_id == coach.id and visit.status in LIVE
    return visit if ok else None


async def set_length(
    session: AsyncSession,
    config: TeamConfig,
    coach: Coach,
    visit_id: int,
    minutes: int,
    now: datetime,
) -> Visit | Refusal:
    """The coach picked 30/60/90/120 minutes for a pending visit."""
    visit = await _mine(session, coach, visit_id)
    if visit is None or visit.status != VisitStatus.PENDING:
        return Refusal.NO_VISIT
    if not 0 < minutes <= config.visits.max_length.total_seconds() / 60:
        return Refusal.BAD_TIME
    _run_until(config.visits, visit, now + timedelta(minutes=minutes))
    await session.flush()
    return visit


async def extend(
    session: AsyncSession, config: TeamConfig, coach: Coach, visit_id: int | None, now: datetime
) -> Visit | Refusal:
    """Moves the expected end on by `visits.extend_by` (from now, when already past); the
    reminder and last call start again. Once a safety alert runs only a check-out ends it."""
    visit = await _mine(session, coach, visit_id)
    if visit is None or visit.status != VisitStatus.RUNNING or visit.expected_end is None:
        return Refusal.NO_VISIT
    if visit.alert_id is not None:
        return Refusal.ALERT_RUNNING
    old = (visit.id, visit.stage, visit.expected_end)
    end = max(visit.expected_end, now) + config.visits.extend_by
    done = await session.execute(
        update(Visit)
        .where(
            Visit.id == old[0],
            Visit.stage == old[1],
            Visit.status == VisitStatus.RUNNING,
            Visit.alert_id.is_(None),
        )
        .values(expected_end=end, stage=VisitStage.NONE)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(visit)
    if rowcount(done) != 1:
        return Refusal.ALERT_RUNNING if visit.alert_id else Refusal.NO_VISIT
    visit.next_at = deadline(config.visits, visit)
    audit.record(
        session,
        at=now,
        action="visit.extend",
        outcome="ok",
        actor=coach,
        subject=visit.case_code,
        detail=f"visit {visit.id}",
    )
    await session.flush()
    return visit


@dataclass(frozen=True)
class CheckedOut:
    visit: Visit
    # The safety alert that this check-out ended, with its messages on screen.
    alert: Alert | None = None
    shown: list[tuple[int, int, int]] | None = None


async def check_out(
    session: AsyncSession, coach: Coach, visit_id: int | None, now: datetime
) -> CheckedOut | Refusal:
    """Safely back: the visit ends, its location is deleted, a safety alert for it ends."""
    visit = await _mine(session, coach, visit_id)
    if visit is None:
        return Refusal.NO_VISIT
    if not await _end(session, visit, now, "safe"):
        return Refusal.NO_VISIT
    audit.record(
        session,
        at=now,
        action="visit.safe",
        outcome="ok",
        actor=coach,
        subject=visit.case_code,
        detail=f"visit {visit.id}",
    )
    if visit.alert_id is None:
        await session.flush()
        return CheckedOut(visit)
    shown = await alert_messages.shown(session, visit.alert_id)
    ended = await alert_closing.end_safety(session, visit.alert_id, now)
    alert = await session.get(Alert, visit.alert_id)
    if alert is not None:
        await session.refresh(alert)
    return CheckedOut(visit, alert, shown if ended else [])


async def _end(session: AsyncSession, visit: Visit, now: datetime, how: str) -> bool:
    done = await session.execute(
        update(Visit)
        .where(Visit.id == visit.id, Visit.status.in_(LIVE))
        # The note was for colleagues during the visit; afterwards nobody needs it.
        .values(status=VisitStatus.ENDED, ended_at=now, ended_how=how, next_at=None, note=None)
        .execution_options(synchronize_session=False)
    )
    await session.execute(delete(VisitLocation).where(VisitLocation.visit_id == visit.id))
    await session.refresh(visit)
    return rowcount(done) == 1


async def sos(
    session: AsyncSession, config: TeamConfig, coach: Coach, visit_id: int | None, now: datetime
) -> tuple[Visit, Raised | None]:
    """Raises the safety alert at once (for the running visit, or a visit made for it). None
    when one already runs for this visit: pressing twice does not alarm twice."""
    visit = await _mine(session, coach, visit_id)
    if visit is None:
        visit = Visit(
            coach_id=coach.id,
            started_at=now,
            status=VisitStatus.RUNNING,
            expected_end=now,
            stage=VisitStage.NONE,
        )
        session.add(visit)
        await session.flush()
    elif visit.status == VisitStatus.PENDING:
        visit.status, visit.expected_end = VisitStatus.RUNNING, now
        await session.flush()
    raised = await raise_for(session, config, visit, now, sos=True, claim=True)
    return visit, raised


def alert_code(visit: Visit) -> str:
    return visit.case_code or f"VISIT-{visit.id}"


async def raise_for(
    session: AsyncSession,
    config: TeamConfig,
    visit: Visit,
    now: datetime,
    *,
    sos: bool,
    claim: bool = False,
) -> Raised | None:
    """Claims the visit's alarm (one conditional update) and raises its safety alert."""
    done = await session.execute(
        update(Visit)
        .where(
            Visit.id == visit.id,
            Visit.status == VisitStatus.RUNNING,
            Visit.stage == visit.stage,
            Visit.alert_id.is_(None),
        )
        .values(stage=VisitStage.ALERTED, next_at=None)
        .execution_options(synchronize_session=False)
    )
    if rowcount(done) != 1:
        return None
    coach = await session.get(Coach, visit.coach_id)
    if coach is None:  # coach_id is a foreign key: the row is there
        raise LookupError(f"visit {visit.id} has no coach")
    raised = await alerts.raise_safety(
        session,
        config,
        coach=coach,
        code=alert_code(visit),
        text="sos" if sos else "overdue",
        now=now,
        claim=claim,
    )
    await session.execute(
        update(Visit)
        .where(Visit.id == visit.id)
        .values(alert_id=raised.alert.id)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(visit)
    raised.loaded.append(visit)
    return raised


@dataclass(frozen=True)
class Located:
    kept: bool
    # A safety alert running for the visit whose messages on screen should show the move.
    alert: Alert | None = None
    shown: list[tuple[int, int, int]] = field(default_factory=list)


REDRAW_EVERY = timedelta(minutes=1)


async def record_location(
    session: AsyncSession,
    coach: Coach,
    latitude: float,
    longitude: float,
    live: bool,
    now: datetime,
) -> Located:
    """Keeps the last location shared during a running visit; outside a visit none is kept."""
    visit = await current(session, coach)
    if visit is None:
        return Located(False)
    row = await session.get(VisitLocation, visit.id)
    if row is None:
        row = VisitLocation(
            visit_id=visit.id, latitude=latitude, longitude=longitude, live=live, updated_at=now
        )
        session.add(row)
    else:
        row.latitude, row.longitude, row.live, row.updated_at = latitude, longitude, live, now
    await session.flush()
    if visit.alert_id is None:
        return Located(True)
    alert = await session.get(Alert, visit.alert_id)
    if alert is None or alert.status not in (AlertStatus.OPEN, AlertStatus.TAKEN):
        return Located(True)
    if row.shown_at is not None and now - row.shown_at < REDRAW_EVERY:
        return Located(True)
    row.shown_at = now
    await session.flush()
    return Located(True, alert, await alert_messages.shown(session, alert.id))


async def safety_facts(session: AsyncSession, alert: Alert) -> SafetyFacts | None:
    """What a safety alert's messages show, read fresh: the newest shared location."""
    visit = await session.scalar(select(Visit).where(Visit.alert_id == alert.id))
    coach = await session.get(Coach, alert.reporter_id)
    if visit is None or coach is None:
        return None
    row = await session.get(VisitLocation, visit.id, populate_existing=True)
    place = Place(row.latitude, row.longitude, row.updated_at) if row is not None else None
    return SafetyFacts(coach.name, coach.phone, visit, alert.text == "sos", place)
