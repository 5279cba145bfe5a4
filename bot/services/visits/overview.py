"""The overview of running home visits (/visits): who may see it, and the visits overdue first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import (
    Coach,
    Role,
    Visit,
    VisitStatus,
)
from bot.services.rosters import in_force
from bot.services.rosters.store import member_key


@dataclass(frozen=True)
class Running:
    visit: Visit
    coach: Coach
    overdue: bool


async def may_overview(
    session: AsyncSession, config: TeamConfig, coach: Coach, now: datetime
) -> bool:
    """Team leads, and whoever holds a duty now."""
    if coach.role in (Role.TEAMLEAD, Role.ADMIN):
        return True
    if coach.role != Role.COACH:
        return False
    now_in_force = await in_force.load(session, config, now)
    for duty in ("bureaudienst", "piket", "piket_second"):
        shift = now_in_force.holder(duty)
        if shift and shift.holder and member_key(shift.holder) == member_key(coach.name):
            return True
    return False


async def running(session: AsyncSession, now: datetime) -> list[Running]:
    """Running visits, overdue first, then by expected end."""
    rows = await session.execute(
        select(Visit, Coach)
        .join(Coach, Coach.id == Visit.coach_id)
        .where(Visit.status == VisitStatus.RUNNING)
    )
    found = [Running(v, c, v.expected_end is not None and v.expected_end < now) for v, c in rows]
    return sorted(found, key=lambda r: (not r.overdue, r.visit.expected_end or now, r.visit.id))
