"""Backup rounds: while a coach is absent, each of their active families is offered to one
candidate at a time until someone accepts; families nobody takes go to the team lead.

All state is in case_covers and the outbox, written in the caller's transaction: a restart
resumes where it was, and the partial unique index (one live request per family per absence)
keeps a second tick or instance from asking twice. No Telegram here; the caller commits.

Who is asked, in which order: see candidates.py.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import (
    AbsenceRecord,
    Case,
    CaseCover,
    Coach,
    CoverStatus,
    OutboxMessage,
    Role,
)
from bot.scheduling.outbox import enqueue
from bot.services.absence.candidates import (
    LIVE,
    candidates,
    families,
    live_cover,
)
from bot.services.audit import trail as audit
from bot.services.cases import holders
from bot.services.quiet_hours import send_time, working_deadline
from bot.services.rosters.core import is_office_day

REQUEST_KIND = "cover_request"
UNCOVERED_KIND = "backup_uncovered"
ASSIGNED_KIND = "cover_assigned"
SUMMARY_KIND = "absence_summary"
THANKS_KIND = "cover_ended"
BRIEFING_KIND = "absence_briefing"
# Absences that ended this long ago are still settled by the tick (a bot that was down).
SETTLE_BACK = timedelta(days=14)


def round_due(config: TeamConfig, absence: AbsenceRecord, now: datetime) -> bool:
    """Backups are asked plan_ahead_days before the start, or at once when that has passed."""
    if absence.end is not None and absence.end <= now:
        return False
    return now >= absence.start - timedelta(days=config.backup.plan_ahead_days)


async def ask_next(
    session: AsyncSession, config: TeamConfig, absence: AbsenceRecord, case: Case, now: datetime
) -> CaseCover | None:
    """Asks the next candidate for this family; None when nobody is left (or someone else
    asked at the same moment)."""
    order = await candidates(session, config, absence, case, now)
    if not order:
        return None
    rank = await session.scalar(
        select(func.count())
        .select_from(CaseCover)
        .where(CaseCover.case_id == case.id, CaseCover.absence_id == absence.id)
    )
    cover = CaseCover(
        case_id=case.id,
        absence_id=absence.id,
        coach_id=order[0].coach_id,
        status=CoverStatus.ASKED,
        rank=rank or 0,
        asked_at=now,
        # Working time only: asked at night, the request goes out in the morning and the
        # answer is due within working hours.
        deadline=working_deadline(config, now, config.backup.answer_within),
    )
    try:
        async with session.begin_nested():
            session.add(cover)
            await session.flush()
    except IntegrityError:  # a live request appeared meanwhile: that one stands
        return None
    cover.outbox_key = f"cover:{cover.id}"
    await enqueue(
        session,
        key=cover.outbox_key,
        kind=REQUEST_KIND,
        coach_id=cover.coach_id,
        due_at=send_time(config, now),
        now=now,
        payload={"cover_id": cover.id},
    )
    audit.record(
        session,
        at=now,
        action="cover.asked",
        outcome=f"rank {cover.rank}",
        subject=case.code,
        detail=f"absence {absence.id}, coach {cover.coach_id}",
    )
    await session.flush()
    return cover


async def run_round(
    session: AsyncSession, config: TeamConfig, absence: AbsenceRecord, now: datetime
) -> list[Case]:
    """Asks for every family without a live request or cover; returns those nobody is left
    to ask for, and tells the team leads about them once the round has settled."""
    stuck = []
    for case in await families(session, config, absence.coach_id, now):
        if await live_cover(session, absence.id, case.id) is not None:
            continue
        if await ask_next(session, config, absence, case, now) is None:
            if await live_cover(session, absence.id, case.id) is None:
                stuck.append(case)
    if stuck:
        await _tell_leads(session, absence, stuck, now, send_time(config, now))
    return stuck


async def _tell_leads(
    session: AsyncSession, absence: AbsenceRecord, stuck: list[Case], now: datetime, due: datetime
) -> None:
    """One message per lead once no request is out any more: the families still uncovered.
    A family already listed earlier is not announced again."""
    pending = await session.scalar(
        select(CaseCover.id)
        .where(CaseCover.absence_id == absence.id, CaseCover.status == CoverStatus.ASKED)
        .limit(1)
    )
    if pending is not None:
        return
    prefix = f"backup-uncovered:{absence.id}:"
    told: set[int] = set()
    for payload in await session.scalars(
        select(OutboxMessage.payload).where(OutboxMessage.key.startswith(prefix))
    ):
        told.update(payload.get("case_ids", []))
    ids = sorted(case.id for case in stuck)
    if set(ids) <= told:
        return
    leads = await session.scalars(
        select(Coach.id).where(Coach.role == Role.TEAMLEAD, Coach.active.is_(True))
    )
    for lead_id in leads:
        await enqueue(
            session,
            key=f"{prefix}{lead_id}:{','.join(map(str, ids))}",
            kind=UNCOVERED_KIND,
            coach_id=lead_id,
            due_at=due,
            now=now,
            payload={"absence_id": absence.id, "case_ids": ids},
        )


async def prepare(
    session: AsyncSession, config: TeamConfig, absence: AbsenceRecord, now: datetime
) -> None:
    """What an absence calls for now: its round once due, the briefing reminder ahead."""
    if round_due(config, absence, now):
        await run_round(session, config, absence, now)
    await plan_briefing(session, config, absence, now)


def briefing_instant(config: TeamConfig, start_day: date) -> datetime | None:
    """The morning `briefing_working_days` office days before the first day of leave."""
    wanted = config.backup.briefing_working_days
    if wanted == 0:
        return None
    day, found = start_day, 0
    for _ in range(60):
        day -= timedelta(days=1)
        if is_office_day(config.duties, day):
            found += 1
            if found == wanted:
                return datetime.combine(day, config.cases.digest_time, tzinfo=config.tz)
    return None


async def plan_briefing(
    session: AsyncSession, config: TeamConfig, absence: AbsenceRecord, now: datetime
) -> None:
    """Only for absences reported ahead: sickness today leaves nobody time to brief."""
    start_day = config.local_date(absence.start)
    if start_day <= config.local_date(now):
        return
    instant = briefing_instant(config, start_day)
    if instant is None:
        return
    await enqueue(
        session,
        key=f"absence-briefing:{absence.id}",
        kind=BRIEFING_KIND,
        coach_id=absence.coach_id,
        due_at=max(instant, now),
        now=now,
        payload={"absence_id": absence.id},
    )


class Answered(enum.StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NOT_YOURS = "not_yours"
    CLOSED = "closed"  # answered before, expired, or cancelled
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Answer:
    outcome: Answered
    cover: CaseCover | None = None
    case: Case | None = None


async def answer(
    session: AsyncSession,
    config: TeamConfig,
    cover_id: int,
    coach: Coach,
    *,
    accept: bool,
    now: datetime,
) -> Answer:
    """Accept or decline a request; a decline asks the next candidate in the same transaction."""
    cover = await session.get(CaseCover, cover_id, with_for_update=True)
    if cover is None:
        return Answer(Answered.UNKNOWN)
    case = await session.get(Case, cover.case_id)
    if cover.coach_id != coach.id or (accept and not holders.may_hold(coach)):
        return Answer(Answered.NOT_YOURS, cover, case)
    if cover.status != CoverStatus.ASKED:
        return Answer(Answered.CLOSED, cover, case)
    cover.status = CoverStatus.ACCEPTED if accept else CoverStatus.DECLINED
    cover.answered_at = now
    audit.record(
        session,
        at=now,
        action="cover.accepted" if accept else "cover.declined",
        outcome=cover.status.value,
        actor=coach,
        subject=case.code if case else None,
        detail=f"absence {cover.absence_id}",
    )
    await session.flush()
    # A decline asks the next candidate; either answer may settle the round for the lead.
    await _move_on(session, config, cover, now)
    return Answer(Answered.ACCEPTED if accept else Answered.DECLINED, cover, case)


async def _move_on(
    session: AsyncSession, config: TeamConfig, cover: CaseCover, now: datetime
) -> None:
    absence = await session.get(AbsenceRecord, cover.absence_id)
    if absence is None or not round_due(config, absence, now):
        return
    await run_round(session, config, absence, now)


async def expire_due(session: AsyncSession, config: TeamConfig, now: datetime) -> int:
    """Requests not answered in time count as declined: the next candidate is asked."""
    due = list(
        await session.scalars(
            select(CaseCover)
            .where(CaseCover.status == CoverStatus.ASKED, CaseCover.deadline <= now)
            .order_by(CaseCover.deadline, CaseCover.id)
            .with_for_update(skip_locked=True)
        )
    )
    for cover in due:
        cover.status = CoverStatus.EXPIRED
        case = await session.get(Case, cover.case_id)
        audit.record(
            session,
            at=now,
            action="cover.expired",
            outcome="expired",
            subject=case.code if case else None,
            detail=f"absence {cover.absence_id}, coach {cover.coach_id}",
        )
    await session.flush()
    for cover in due:
        await _move_on(session, config, cover, now)
    return len(due)


async def finish(session: AsyncSession, absence: AbsenceRecord, now: datetime) -> None:
    """The absence is over: covers are released, requests still out cancelled, the coach
    gets a handover summary and every backup a thank-you. Safe to run again."""
    live = list(
        await session.scalars(
            select(CaseCover).where(CaseCover.absence_id == absence.id, CaseCover.status.in_(LIVE))
        )
    )
    for cover in live:
        if cover.status == CoverStatus.ACCEPTED:
            cover.status = CoverStatus.RELEASED
            cover.released_at = now
        else:
            cover.status = CoverStatus.CANCELLED
    if live:
        audit.record(
            session,
            at=now,
            action="cover.released",
            outcome=f"{len(live)} ended",
            detail=f"absence {absence.id}",
        )
    await session.flush()
    await enqueue(
        session,
        key=f"absence-summary:{absence.id}",
        kind=SUMMARY_KIND,
        coach_id=absence.coach_id,
        due_at=now,
        now=now,
        payload={"absence_id": absence.id},
    )
    backups = set(
        await session.scalars(
            select(CaseCover.coach_id).where(
                CaseCover.absence_id == absence.id, CaseCover.status == CoverStatus.RELEASED
            )
        )
    )
    for coach_id in sorted(backups):
        await enqueue(
            session,
            key=f"cover-ended:{absence.id}:{coach_id}",
            kind=THANKS_KIND,
            coach_id=coach_id,
            due_at=now,
            now=now,
            payload={"absence_id": absence.id},
        )


async def tick(session: AsyncSession, config: TeamConfig, now: datetime) -> None:
    """Run from the scheduler: expire unanswered requests, start rounds that are due, settle
    absences that ended by their end date."""
    await expire_due(session, config, now)
    coming = await session.scalars(
        select(AbsenceRecord).where(
            AbsenceRecord.start <= now + timedelta(days=config.backup.plan_ahead_days + 30),
            or_(AbsenceRecord.end.is_(None), AbsenceRecord.end > now),
        )
    )
    for absence in list(coming):
        await prepare(session, config, absence, now)
    ended = await session.scalars(
        select(AbsenceRecord).where(
            AbsenceRecord.end <= now,
            AbsenceRecord.end > now - SETTLE_BACK,
            AbsenceRecord.id.in_(select(CaseCover.absence_id)),
        )
    )
    for absence in list(ended):
        await finish(session, absence, now)


async def uncovered(
    session: AsyncSession, config: TeamConfig, absence: AbsenceRecord, now: datetime
) -> list[Case]:
    """The absent coach's active families with neither a request out nor a cover."""
    result = []
    for case in await families(session, config, absence.coach_id, now):
        if await live_cover(session, absence.id, case.id) is None:
            result.append(case)
    return result


def day_start(config: TeamConfig, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=config.tz)


async def pending(session: AsyncSession, absence_id: int) -> list[CaseCover]:
    """Requests of this absence still waiting for an answer."""
    return list(
        await session.scalars(
            select(CaseCover).where(
                CaseCover.absence_id == absence_id, CaseCover.status == CoverStatus.ASKED
            )
        )
    )
