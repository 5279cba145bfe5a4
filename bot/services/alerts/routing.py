"""Who a crisis alert goes to: the escalation chain in force, resolved into coaches when the
alert is raised (so a roster or config change later does not change a running alert).

Raising an alert is the path to the coach on duty, so it reads only what can matter at this
instant: the absences and roster overrides in force now (a handful of rows) and the coaches
it names, rather than the whole roster (see load_roster)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import Duty
from bot.config.team import TeamConfig
from bot.models import Case, CaseCover, Coach, CoverStatus, Role
from bot.services.cases import holders
from bot.services.rosters import core as roster
from bot.services.rosters import in_force
from bot.services.rosters.store import member_key

# Built once: statement construction shows up in the time to the first alert.

# The coaches an alert can name (leads always: fewer round trips than asking twice). Names
# are matched case-insensitively here and exactly (by member_key) in Python.
_COACHES = (
    select(Coach)
    .where(
        or_(
            Coach.id.in_(bindparam("ids", expanding=True)),
            func.lower(Coach.name).in_(bindparam("names", expanding=True)),
            (Coach.role == Role.TEAMLEAD) & Coach.active.is_(True),
        )
    )
    .order_by(Coach.id)
)
_COVERING = (
    select(Coach)
    .join(CaseCover, CaseCover.coach_id == Coach.id)
    .where(
        CaseCover.case_id == bindparam("case_id"),
        CaseCover.status == CoverStatus.ACCEPTED,
        CaseCover.released_at.is_(None),
    )
    .order_by(CaseCover.answered_at.desc())
    .limit(1)
)


def _reachable(coach: Coach | None) -> TypeGuard[Coach]:
    # An alert shows the family's card: only someone who may hold a family receives one,
    # whatever the roster or the case row says (see holders).
    return holders.may_hold(coach) and coach.telegram_user_id is not None


@dataclass
class Resolved:
    office: bool
    chain: list[dict[str, Any]]
    # Every coach loaded, for the caller to hold on to: the session's identity map keeps only
    # referenced objects, and rendering the alert asks for them again.
    coaches: list[Coach]


def _holder(now_in_force: in_force.InForce, config: TeamConfig, duty: Duty) -> str | None:
    shift = now_in_force.holder(duty)
    return shift.holder if shift else None


async def resolve(
    session: AsyncSession,
    config: TeamConfig,
    case: Case | None,
    now: datetime,
    also: tuple[int | None, ...] = (),
) -> Resolved:
    """Whether it is office hours now, and the chain as [{"to", "wait", "coach_ids"}]. The
    coaches with ids in `also` are loaded with the rest."""
    now_in_force = await in_force.load(session, config, now)
    absent, ids = now_in_force.absent, now_in_force.ids
    office = roster.is_active(config, "bureaudienst", now)
    steps = {step.to for step in config.alerts.chain}
    duties: list[Duty] = []
    if steps & {"first", "on_duty"}:
        duties.append("bureaudienst" if office else "piket")
    if "second_line" in steps:
        duties.append("piket_second")
    holder_names = {duty: _holder(now_in_force, config, duty) for duty in duties}
    names = {name for name in holder_names.values() if name is not None}
    own_id = case.coach_id if case else None
    wanted = {own_id, *also, *(ids[n] for n in names if n in ids)} - {None}
    by_name = [n for n in names if n not in ids]
    coaches = list(
        await session.scalars(
            _COACHES, {"ids": list(wanted), "names": [n.lower() for n in by_name]}
        )
    )
    by_key = {member_key(c.name): c for c in coaches}
    if any(member_key(n) not in by_key for n in by_name):
        # Not found as typed (odd spacing, or case beyond what SQL lower() folds): compare
        # with every coach, as load_roster does.
        coaches = list(await session.scalars(select(Coach).order_by(Coach.id)))
        by_key = {member_key(c.name): c for c in coaches}
    by_id = {c.id: c for c in coaches}

    def on(duty: Duty) -> list[Coach]:
        name = holder_names.get(duty)
        if name is None:
            return []
        coach = by_id.get(ids[name]) if name in ids else by_key.get(member_key(name))
        return [coach] if _reachable(coach) else []

    own = by_id.get(own_id) if own_id is not None else None
    present = own if _reachable(own) and own.id not in absent else None
    on_duty = on("bureaudienst" if office else "piket")
    leads = [c for c in coaches if c.role == Role.TEAMLEAD and c.active and _reachable(c)]
    covering: list[Coach] | None = None

    async def first() -> list[Coach]:
        nonlocal covering
        if office and present is not None:
            return [present]
        # The own coach is away: whoever accepted to cover the family stands in for them.
        if office and case is not None:
            if covering is None:
                cover = await session.scalar(_COVERING, {"case_id": case.id})
                covering = [cover] if _reachable(cover) and cover.id not in absent else []
                coaches.extend(covering)
            if covering:
                return covering
        return on_duty

    chain = []
    for step in config.alerts.chain:
        if step.to == "first":
            targets = await first()
        elif step.to == "on_duty":
            targets = on_duty
        elif step.to == "second_line":
            targets = on("piket_second")
        else:
            targets = leads
        chain.append(
            {
                "to": step.to,
                "wait": step.wait.total_seconds(),
                "coach_ids": [c.id for c in targets],
            }
        )
    return Resolved(office, chain, coaches)
