"""A team lead assigns a span of a duty to a coach: checked, stored as an override, audited."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import Duty
from bot.config.team import TeamConfig
from bot.models import Coach, OverrideKind, Role, RosterOverride
from bot.services.audit import trail as audit
from bot.services.rosters.core import Shift
from bot.services.rosters.input import parse_day, parse_duty, parse_span, span_instants
from bot.services.rosters.store import load_roster
from bot.services.team.coaches import normalise_name

ROSTER_ROLES = (Role.COACH, Role.TEAMLEAD, Role.ADMIN)


class Problem(enum.StrEnum):
    USAGE = "usage"
    UNKNOWN_DUTY = "unknown_duty"
    NOT_ROSTERED = "not_rostered"
    BAD_DAY = "bad_day"
    UNKNOWN_COACH = "unknown_coach"
    AMBIGUOUS_COACH = "ambiguous_coach"
    IN_THE_PAST = "in_the_past"
    NOT_HELD_THEN = "not_held_then"
    COACH_ABSENT = "coach_absent"


@dataclass(frozen=True)
class OverrideRequest:
    duty: Duty
    start: datetime
    end: datetime
    name: str


@dataclass(frozen=True)
class Refusal:
    problem: Problem
    detail: str = ""
    candidates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Assigned:
    duty: Duty
    coach: Coach
    start: datetime
    end: datetime
    # Who held the pieces before (None for a gap), for telling them.
    replaced: list[Shift]
    # The coaches among them the bot knows, other than the new holder.
    previous: list[Coach]


def parse_request(args: list[str], today: date, config: TeamConfig) -> OverrideRequest | Refusal:
    """`<duty> <day> [HH:MM-HH:MM] <name…>`. Without a time span: the duty's shift on that
    day, from its handover that day to the next day's handover."""
    if len(args) < 3:
        return Refusal(Problem.USAGE)
    duty = parse_duty(args[0])
    if duty is None:
        return Refusal(Problem.UNKNOWN_DUTY, args[0])
    if not config.duties.rostered(duty):
        return Refusal(Problem.NOT_ROSTERED, duty)
    day = parse_day(args[1], today)
    if day is None:
        return Refusal(Problem.BAD_DAY, args[1])
    rest = args[2:]
    span = parse_span(rest[0])
    if span is not None:
        rest = rest[1:]
        start, end = span_instants(day, span, config.tz)
    else:
        handover = config.duties.handover(duty)
        start = datetime.combine(day, handover, tzinfo=config.tz)
        end = datetime.combine(day + timedelta(days=1), handover, tzinfo=config.tz)
    if not rest:
        return Refusal(Problem.USAGE)
    return OverrideRequest(duty, start.astimezone(UTC), end.astimezone(UTC), " ".join(rest))


def _fold(name: str) -> str:
    """Case and accents ignored, so 'zoe' finds Zoë and 'ozturk' Öztürk on any phone."""
    decomposed = unicodedata.normalize("NFKD", normalise_name(name))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


async def match_coach(session: AsyncSession, text: str) -> Coach | Refusal:
    """An active team member by full name, or by a unique start of it ('Cem', 'bram j')."""
    wanted = _fold(text)
    team = list(
        await session.scalars(
            select(Coach).where(Coach.active.is_(True), Coach.role.in_(ROSTER_ROLES))
        )
    )
    exact = [c for c in team if _fold(c.name) == wanted]
    if exact:
        return exact[0]
    partial = [c for c in team if _fold(c.name).startswith(wanted)]
    if len(partial) == 1:
        return partial[0]
    if partial:
        return Refusal(Problem.AMBIGUOUS_COACH, text, sorted(c.name for c in partial))
    return Refusal(Problem.UNKNOWN_COACH, text)


async def assign(
    session: AsyncSession,
    config: TeamConfig,
    *,
    lead: Coach,
    request: OverrideRequest,
    now: datetime,
) -> Assigned | Refusal:
    """Stores the override when it makes sense; changes nothing otherwise. Caller commits."""
    coach = await match_coach(session, request.name)
    if isinstance(coach, Refusal):
        return coach
    start = max(request.start, now)
    if request.end <= now:
        return Refusal(Problem.IN_THE_PAST)
    state = await load_roster(session, config, start, request.end)
    pieces = state.shifts(request.duty, start, request.end)
    if not pieces:
        return Refusal(Problem.NOT_HELD_THEN, request.duty)
    if any(
        a.name == coach.name and a.start < request.end and (a.end is None or a.end > start)
        for a in state.absences
    ):
        return Refusal(Problem.COACH_ABSENT, coach.name)
    # Stored only over the duty's own hours, so the override reads as the shift it replaces.
    start, end = pieces[0].start, pieces[-1].end
    session.add(
        RosterOverride(
            duty=request.duty,
            coach_id=coach.id,
            start=start,
            end=end,
            kind=OverrideKind.OVERRIDE,
            created_at=now,
            created_by_id=lead.id,
        )
    )
    audit.record(
        session,
        at=now,
        action="roster.override",
        outcome="assigned",
        actor=lead,
        subject=coach.name,
        detail=f"{request.duty} {start.isoformat()}–{end.isoformat()}",
    )
    await session.flush()
    names = sorted({p.holder for p in pieces if p.holder and p.holder != coach.name})
    previous = [known for name in names if (known := state.coach(name)) is not None]
    return Assigned(request.duty, coach, start, end, pieces, previous)
