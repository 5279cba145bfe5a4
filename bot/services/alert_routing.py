"""Who a crisis alert goes to: the escalation chain in force, resolved into coaches when the
alert is raised (so a roster or config change later does not change a running alert)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert_config import Target
from bot.models import Case, CaseCover, Coach, CoverStatus, Role
from bot.services.roster import is_active
from bot.services.roster_store import RosterState, load_roster
from bot.team_config import TeamConfig


def _reachable(coach: Coach | None) -> bool:
    return coach is not None and coach.active and coach.telegram_user_id is not None


def _holder(state: RosterState, duty: str, now: datetime) -> list[Coach]:
    if not state.config.duties.rostered(duty):  # type: ignore[arg-type]
        return []
    shift = state.holder_at(duty, now)  # type: ignore[arg-type]
    coach = state.coach(shift.holder if shift else None)
    return [coach] if _reachable(coach) else []


async def _leads(session: AsyncSession) -> list[Coach]:
    leads = await session.scalars(
        select(Coach).where(Coach.role == Role.TEAMLEAD, Coach.active.is_(True)).order_by(Coach.id)
    )
    return [lead for lead in leads if _reachable(lead)]


async def _covering(
    session: AsyncSession, state: RosterState, case: Case, now: datetime
) -> Coach | None:
    """The coach with an accepted, unreleased backup cover for the family, if reachable and
    present."""
    coach = await session.scalar(
        select(Coach)
        .join(CaseCover, CaseCover.coach_id == Coach.id)
        .where(
            CaseCover.case_id == case.id,
            CaseCover.status == CoverStatus.ACCEPTED,
            CaseCover.released_at.is_(None),
        )
        .order_by(CaseCover.answered_at.desc())
        .limit(1)
    )
    if not _reachable(coach) or state.absent_at(coach.name, now):  # type: ignore[union-attr]
        return None
    return coach


async def resolve_chain(
    session: AsyncSession, config: TeamConfig, case: Case | None, now: datetime
) -> tuple[bool, list[dict[str, Any]]]:
    """Whether it is office hours now, and the chain as [{"to", "wait", "coach_ids"}]."""
    state = await load_roster(session, config, now, now + timedelta(seconds=1))
    office = is_active(config, "bureaudienst", now)
    own = await session.get(Coach, case.coach_id) if case and case.coach_id else None
    own_present = _reachable(own) and not state.absent_at(own.name, now)  # type: ignore[union-attr]
    on_duty = _holder(state, "bureaudienst" if office else "piket", now)

    async def targets(to: Target) -> list[Coach]:
        if to == "first":
            if office and own_present:
                return [own]  # type: ignore[list-item]
            # The own coach is away: whoever accepted to cover the family stands in for them.
            if office and case is not None:
                cover = await _covering(session, state, case, now)
                if cover is not None:
                    return [cover]
            return on_duty
        if to == "on_duty":
            return on_duty
        if to == "second_line":
            return _holder(state, "piket_second", now)
        return await _leads(session)

    chain = []
    for step in config.alerts.chain:
        coaches = await targets(step.to)
        chain.append(
            {
                "to": step.to,
                "wait": step.wait.total_seconds(),
                "coach_ids": [c.id for c in coaches],
            }
        )
    return office, chain
