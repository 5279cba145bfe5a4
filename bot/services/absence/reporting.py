"""Reporting and ending absences: checked, stored, audited. No Telegram here; the caller
commits. Starting and ending backup rounds is backup_round's job, called from here so the
absence and its first requests commit together."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import AbsenceKind, AbsenceRecord, Coach, Role
from bot.services.absence import backup_round
from bot.services.audit import trail as audit
from bot.services.rosters import swaps
from bot.services.rosters.input import parse_day
from bot.services.rosters.overrides import Refusal as MatchRefusal
from bot.services.rosters.overrides import match_coach

# Who may report an absence for someone else.
LEAD_ROLES = frozenset({Role.TEAMLEAD, Role.ADMIN})
# Words for each kind in either language, as typed after /absent.
KIND_WORDS = {
    "sick": AbsenceKind.SICK,
    "ziek": AbsenceKind.SICK,
    "leave": AbsenceKind.LEAVE,
    "verlof": AbsenceKind.LEAVE,
    "vakantie": AbsenceKind.LEAVE,
    "holiday": AbsenceKind.LEAVE,
    "training": AbsenceKind.TRAINING,
    "scholing": AbsenceKind.TRAINING,
    "cursus": AbsenceKind.TRAINING,
    "other": AbsenceKind.OTHER,
    "anders": AbsenceKind.OTHER,
}


class Problem(enum.StrEnum):
    USAGE = "usage"
    BAD_DATE = "bad_date"
    UNTIL_BEFORE_FROM = "until_before_from"
    OPEN_NOT_SICK = "open_not_sick"  # only sickness may be open-ended
    PAST = "past"  # the whole absence lies in the past
    OVERLAP = "overlap"
    NOT_LEAD = "not_lead"  # reporting for someone else without being a team lead
    UNKNOWN_COACH = "unknown_coach"
    AMBIGUOUS_COACH = "ambiguous_coach"
    NOT_ABSENT = "not_absent"  # /back without a current absence


@dataclass(frozen=True)
class Refusal:
    problem: Problem
    detail: str = ""
    candidates: list[str] = field(default_factory=list)
    other: AbsenceRecord | None = None  # the absence it overlaps


@dataclass(frozen=True)
class Request:
    """What /absent asked for; `name` is None for the reporter themself, `last` None for an
    open-ended sickness."""

    kind: AbsenceKind
    first: date
    last: date | None
    name: str | None = None


def parse_request(words: list[str], today: date) -> Request | Refusal:
    """'[Name] kind [from [until]]'. Sickness without an until is open; any other kind with
    only a from is that one day; no from is today."""
    kind_at = next((i for i, w in enumerate(words) if w.lower() in KIND_WORDS), None)
    if kind_at is None:
        return Refusal(Problem.USAGE)
    name = " ".join(words[:kind_at]) or None
    kind = KIND_WORDS[words[kind_at].lower()]
    dates = words[kind_at + 1 :]
    if len(dates) > 2:
        return Refusal(Problem.USAGE)
    parsed: list[date] = []
    for text in dates:
        day = parse_day(text, today)
        if day is None:
            return Refusal(Problem.BAD_DATE, text)
        parsed.append(day)
    first = parsed[0] if parsed else today
    if len(parsed) == 2:
        last: date | None = parsed[1]
    else:
        last = None if kind is AbsenceKind.SICK else first
    return Request(kind, first, last, name)


def span(
    config: TeamConfig, first: date, last: date | None, now: datetime
) -> tuple[datetime, datetime | None]:
    """The instants of an absence over whole local days; one starting today starts now, so
    the shifts of this morning stay as they were."""
    tz = config.tz
    today = now.astimezone(tz).date()
    start = now if first == today else datetime.combine(first, time(0), tzinfo=tz)
    end = None if last is None else datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    return start, end


async def resolve_subject(session: AsyncSession, actor: Coach, name: str | None) -> Coach | Refusal:
    """Whom the report is about: the actor, or (team leads only) the named colleague."""
    if name is None:
        return actor
    if actor.role not in LEAD_ROLES:
        return Refusal(Problem.NOT_LEAD)
    found = await match_coach(session, name)
    if isinstance(found, MatchRefusal):
        problem = Problem.AMBIGUOUS_COACH if found.candidates else Problem.UNKNOWN_COACH
        return Refusal(problem, name, found.candidates)
    return found


async def overlapping(
    session: AsyncSession, coach_id: int, start: datetime, end: datetime | None
) -> AbsenceRecord | None:
    conditions = [
        AbsenceRecord.coach_id == coach_id,
        or_(AbsenceRecord.end.is_(None), AbsenceRecord.end > start),
    ]
    if end is not None:
        conditions.append(AbsenceRecord.start < end)
    return await session.scalar(
        select(AbsenceRecord).where(*conditions).order_by(AbsenceRecord.start).limit(1)
    )


def check(
    kind: AbsenceKind, start: datetime, end: datetime | None, now: datetime
) -> Problem | None:
    """What is wrong with the span itself, before looking at other absences."""
    if end is None:
        return None if kind is AbsenceKind.SICK else Problem.OPEN_NOT_SICK
    if end <= start:
        return Problem.UNTIL_BEFORE_FROM
    if end <= now:
        return Problem.PAST
    return None


async def report(
    session: AsyncSession,
    config: TeamConfig,
    *,
    actor: Coach,
    coach: Coach,
    request: Request,
    now: datetime,
) -> AbsenceRecord | Refusal:
    """Stores the absence and, when it is near enough, starts its backup round."""
    if request.last is not None and request.last < request.first:
        return Refusal(Problem.UNTIL_BEFORE_FROM)
    start, end = span(config, request.first, request.last, now)
    problem = check(request.kind, start, end, now)
    if problem is not None:
        return Refusal(problem)
    other = await overlapping(session, coach.id, start, end)
    if other is not None:
        return Refusal(Problem.OVERLAP, other=other)
    absence = AbsenceRecord(
        coach_id=coach.id,
        kind=request.kind,
        start=start,
        end=end,
        created_at=now,
        created_by_id=actor.id,
    )
    session.add(absence)
    await session.flush()
    audit.record(
        session,
        at=now,
        action="absence.reported",
        outcome=request.kind.value,
        actor=actor,
        subject=coach.name,
        detail=f"absence {absence.id}: {start.isoformat()} - {end.isoformat() if end else 'open'}",
    )
    await backup_round.prepare(session, config, absence, now)
    return absence


async def current(session: AsyncSession, coach_id: int, now: datetime) -> AbsenceRecord | None:
    return await session.scalar(
        select(AbsenceRecord)
        .where(
            AbsenceRecord.coach_id == coach_id,
            AbsenceRecord.start <= now,
            or_(AbsenceRecord.end.is_(None), AbsenceRecord.end > now),
        )
        .order_by(AbsenceRecord.start)
        .limit(1)
    )


async def end_now(
    session: AsyncSession, config: TeamConfig, *, actor: Coach, coach: Coach, now: datetime
) -> AbsenceRecord | Refusal:
    """/back: the current absence ends now; covers are released and the handover planned."""
    absence = await current(session, coach.id, now)
    if absence is None:
        return Refusal(Problem.NOT_ABSENT)
    absence.end = now
    audit.record(
        session,
        at=now,
        action="absence.ended",
        outcome="back",
        actor=actor,
        subject=coach.name,
        detail=f"absence {absence.id}",
    )
    await session.flush()
    await backup_round.finish(session, absence, now)
    # Shifts offered because of the absence are the coach's own again.
    await swaps.withdraw_absence_offers(session, coach, absence.created_at, now)
    return absence
