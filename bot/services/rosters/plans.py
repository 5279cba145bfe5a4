"""Roster plans kept in the database: a proposal worked out by bot/services/rosters/proposal.py
from the rotations, workdays, absences and the last 8 weeks, stored until a lead approves it
(then its shifts are the roster; overrides, swaps and absences still apply on top) or discards
it. Also the fairness of the roster in force set against the latest plan's, for /rosterreport.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import DUTIES, Duty
from bot.config.team import TeamConfig
from bot.models import Coach, PlanStatus, RosterPlan, RosterPlanShift
from bot.scheduling.outbox import enqueue
from bot.services.audit import trail as audit
from bot.services.quiet_hours import send_time
from bot.services.rosters import proposal as planner
from bot.services.rosters.input import parse_day
from bot.services.rosters.store import RosterState, load_roster

# The message to each coach with shifts in a plan just approved (bot/scheduling/plan_notices.py).
APPROVED_KIND = "rota_plan_approved"
HISTORY = timedelta(weeks=8)
DEFAULT_WEEKS = 13
MAX_WEEKS = 26
_WEEKS = re.compile(r"^(\d{1,2})\s*(w|wk|weken|weeks?)?$", re.IGNORECASE | re.ASCII)


@dataclass(frozen=True)
class PlanRequest:
    first_day: date
    weeks: int

    @property
    def until(self) -> date:
        return self.first_day + timedelta(weeks=self.weeks)


def parse_request(args: list[str], today: date) -> PlanRequest | None:
    """'<day> [<weeks>w]': a day from today on and 1 to MAX_WEEKS weeks (13 when left out)."""
    if not args or len(args) > 2:
        return None
    first = parse_day(args[0], today)
    weeks = DEFAULT_WEEKS
    if len(args) == 2:
        match = _WEEKS.match(args[1])
        if match is None:
            return None
        weeks = int(match.group(1))
    if first is None or first < today or not 1 <= weeks <= MAX_WEEKS:
        return None
    return PlanRequest(first, weeks)


def local_midnight(day: date, config: TeamConfig) -> datetime:
    return datetime.combine(day, time(0), tzinfo=config.tz).astimezone(UTC)


def _hours_by_holder(
    state: RosterState, start: datetime, end: datetime
) -> dict[str, dict[Duty, float]]:
    hours: dict[str, dict[Duty, float]] = {}
    for shift in state.all_shifts(start, end):
        if shift.holder is not None:
            held = hours.setdefault(shift.holder, {})
            held[shift.duty] = (
                held.get(shift.duty, 0.0) + (shift.end - shift.start).total_seconds() / 3600
            )
    return hours


@dataclass(frozen=True)
class Proposed:
    plan_id: int
    proposal: planner.Proposal
    unlinked: list[str]  # rotation names without a coach: left out of the plan


async def propose(
    session: AsyncSession, config: TeamConfig, lead: Coach, request: PlanRequest, now: datetime
) -> Proposed:
    """Works out and stores a proposal (not in force); the caller commits."""
    start, end = local_midnight(request.first_day, config), local_midnight(request.until, config)
    state = await load_roster(session, config, start - HISTORY, end)
    duties = state.config.duties
    people: dict[str, set[Duty]] = {}
    for duty in DUTIES:
        for name in duties.rotation(duty).members:
            coach = state.coach(name)
            if coach is not None and coach.active:
                people.setdefault(name, set()).add(duty)
    team = [
        planner.Person(name, state.coaches[name].fte, frozenset(held), duties.workdays.get(name))
        for name, held in people.items()
    ]
    history = _hours_by_holder(state, start - HISTORY, start)
    result = planner.propose(
        state.config, team, request.first_day, request.until, state.absences, history
    )
    plan = RosterPlan(
        first_day=request.first_day,
        until=request.until,
        status=PlanStatus.PROPOSED,
        summary=json.dumps(_summary(result, team), ensure_ascii=False),
        created_at=now,
        created_by_id=lead.id,
    )
    session.add(plan)
    await session.flush()
    for slot, holder in result.assignments:
        coach = state.coach(holder)
        session.add(
            RosterPlanShift(
                plan_id=plan.id,
                duty=slot.duty,
                coach_id=coach.id if coach else None,
                start=slot.start,
                end=slot.end,
            )
        )
    audit.record(
        session,
        at=now,
        action="rota.plan",
        outcome="proposed",
        actor=lead,
        subject=f"plan {plan.id}",
        detail=f"{request.first_day.isoformat()} {request.weeks}w, {len(result.gaps)} gaps",
    )
    await session.flush()
    return Proposed(plan.id, result, list(state.unlinked))


def _summary(result: planner.Proposal, team: list[planner.Person]) -> dict[str, Any]:
    """What /rosterreport compares the roster in force with."""
    duties = {p.name: sorted(p.duties) for p in team}
    hours: dict[str, dict[str, float]] = {p.name: {} for p in team}
    for slot, holder in result.assignments:
        if holder is not None:
            hours[holder][slot.duty] = hours[holder].get(slot.duty, 0.0) + slot.hours
    return {
        "totals": [
            [t.name, t.fte, t.hours, t.fair, t.history, t.special, t.holidays]
            for t in result.totals
        ],
        "duties": duties,
        "hours": hours,
        "gaps": len(result.gaps),
    }


class Outcome(enum.StrEnum):
    APPROVED = "approved"
    DISCARDED = "discarded"
    STARTED = "started"  # its first day has passed: approving it would rewrite past shifts
    GONE = "gone"


async def decide(
    session: AsyncSession,
    config: TeamConfig,
    lead: Coach,
    plan_id: int,
    approve: bool,
    now: datetime,
) -> Outcome:
    """Approves or discards a proposal; the caller commits. An approved plan replaces the
    shifts of earlier approved plans where they overlap."""
    plan = await session.get(RosterPlan, plan_id)
    if plan is None or plan.status != PlanStatus.PROPOSED:
        return Outcome.GONE
    if not approve:
        plan.status = PlanStatus.DISCARDED
        audit.record(
            session,
            at=now,
            action="rota.plan",
            outcome="discarded",
            actor=lead,
            subject=f"plan {plan.id}",
        )
        return Outcome.DISCARDED
    if plan.first_day < now.astimezone(config.tz).date():
        return Outcome.STARTED
    span = (
        await session.execute(
            select(RosterPlanShift.start, RosterPlanShift.end, RosterPlanShift.coach_id).where(
                RosterPlanShift.plan_id == plan.id
            )
        )
    ).all()
    if span:
        await _make_room(session, plan.id, min(s for s, _, _ in span), max(e for _, e, _ in span))
    plan.status = PlanStatus.APPROVED
    plan.approved_at = now
    plan.approved_by_id = lead.id
    audit.record(
        session,
        at=now,
        action="rota.plan",
        outcome="approved",
        actor=lead,
        subject=f"plan {plan.id}",
        detail=f"{plan.first_day.isoformat()}–{plan.until.isoformat()}",
    )
    # Each coach with shifts in it hears which, once, outside quiet hours.
    for coach_id in sorted({c for _, _, c in span if c is not None}):
        await enqueue(
            session,
            key=f"rotaplan:{plan.id}:{coach_id}",
            kind=APPROVED_KIND,
            coach_id=coach_id,
            due_at=send_time(config, now),
            now=now,
            payload={"plan_id": plan.id},
        )
    await session.flush()
    return Outcome.APPROVED


async def _make_room(session: AsyncSession, plan_id: int, start: datetime, end: datetime) -> None:
    """Earlier approved plans give way over [start, end): shifts inside go, shifts across an
    edge are cut at it."""
    approved = select(RosterPlan.id).where(
        RosterPlan.status == PlanStatus.APPROVED, RosterPlan.id != plan_id
    )
    older = RosterPlanShift.plan_id.in_(approved)
    await session.execute(
        delete(RosterPlanShift).where(
            older, RosterPlanShift.start >= start, RosterPlanShift.end <= end
        )
    )
    await session.execute(
        update(RosterPlanShift)
        .where(older, RosterPlanShift.start < start, RosterPlanShift.end > start)
        .values(end=start)
    )
    await session.execute(
        update(RosterPlanShift)
        .where(older, RosterPlanShift.start < end, RosterPlanShift.end > end)
        .values(start=end)
    )


# --- fairness: the roster in force against the plan ------------------------------------------


@dataclass(frozen=True)
class Fairness:
    name: str
    fte: float
    in_force: float  # hours held in the plan's period and the 8 weeks before, as it stands
    in_force_fair: float
    planned: float
    planned_fair: float


@dataclass(frozen=True)
class Comparison:
    plan_id: int
    status: PlanStatus
    first_day: date
    until: date
    coaches: list[Fairness]

    @staticmethod
    def _spread(pairs: list[tuple[float, float]]) -> float:
        """The largest distance from a fair share, as a fraction of it."""
        return max((abs(h - fair) / fair for h, fair in pairs if fair > 0), default=0.0)

    @property
    def in_force_spread(self) -> float:
        return self._spread([(c.in_force, c.in_force_fair) for c in self.coaches])

    @property
    def planned_spread(self) -> float:
        return self._spread([(c.planned, c.planned_fair) for c in self.coaches])


async def compare(session: AsyncSession, config: TeamConfig, now: datetime) -> Comparison | None:
    """The newest proposed or approved plan not yet over, set against the roster in force over
    the same days, both counting the 8 weeks before (as the planner does); fair shares
    (proposal.fair_shares) over each roster's own held hours."""
    plan = await session.scalar(
        select(RosterPlan)
        .where(
            RosterPlan.status.in_([PlanStatus.PROPOSED, PlanStatus.APPROVED]),
            RosterPlan.until > now.astimezone(config.tz).date(),
        )
        .order_by(RosterPlan.created_at.desc(), RosterPlan.id.desc())
        .limit(1)
    )
    if plan is None:
        return None
    summary = json.loads(plan.summary)
    team = [
        planner.Person(row[0], row[1], frozenset(summary["duties"][row[0]]))
        for row in summary["totals"]
    ]
    start, end = local_midnight(plan.first_day, config), local_midnight(plan.until, config)
    # Both counted with the 8 weeks before, as the planner counts them.
    state = await load_roster(session, config, start - HISTORY, end)
    held = _hours_by_holder(state, start - HISTORY, end)
    planned: dict[str, dict[str, float]] = {}
    for source in (_hours_by_holder(state, start - HISTORY, start), summary["hours"]):
        for name, duties in source.items():
            mine = planned.setdefault(name, {})
            for duty, hours in duties.items():
                mine[duty] = mine.get(duty, 0.0) + hours
    names = {p.name for p in team}

    def by_duty(hours: Mapping[str, Mapping[Any, float]]) -> dict[Duty, float]:
        found: dict[Duty, float] = {}
        for name, duties in hours.items():
            for duty in DUTIES:
                if name in names and duty in duties:
                    found[duty] = found.get(duty, 0.0) + duties[duty]
        return found

    held_fair = planner.fair_shares(by_duty(held), team)
    planned_fair = planner.fair_shares(by_duty(planned), team)
    coaches = [
        Fairness(
            p.name,
            p.fte,
            round(sum(held.get(p.name, {}).values()), 1),
            round(held_fair[p.name], 1),
            round(sum(planned.get(p.name, {}).values()), 1),
            round(planned_fair[p.name], 1),
        )
        for p in team
    ]
    return Comparison(plan.id, plan.status, plan.first_day, plan.until, coaches)
