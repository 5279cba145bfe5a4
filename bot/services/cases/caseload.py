"""Caseloads: which families count as someone's, and how many each coach has against their
limit. "Active case" is defined here once; /caseload, /covers, /assign and the morning
reminders all use it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AbsenceKind, Case, Coach, Phase, Role

# Team members who can hold families.
CASE_ROLES = (Role.COACH, Role.TEAMLEAD, Role.ADMIN)


def active_clause(today: date) -> ColumnElement[bool]:
    """A case is active until it is in afsluiting with an end date that has come: a case
    being closed (end date ahead, or none yet) still needs its coach."""
    return or_(
        Case.phase != Phase.AFSLUITING,
        Case.end_date.is_(None),
        Case.end_date > today,
    )


def is_active(case: Case, today: date) -> bool:
    return case.phase != Phase.AFSLUITING or case.end_date is None or case.end_date > today


@dataclass(frozen=True)
class Load:
    coach: Coach
    families: int
    # Why the coach is away now (sick, leave …): an absent coach has no room now.
    absent: AbsenceKind | None = None

    @property
    def room_now(self) -> int:
        """The families the coach could take now: none while absent."""
        return 0 if self.absent is not None else max(0, self.room)

    @property
    def limit(self) -> int:
        return self.coach.caseload_limit

    @property
    def room(self) -> int:
        """Negative when the coach holds more families than their limit."""
        return self.limit - self.families

    @property
    def full(self) -> bool:
        return self.families >= self.limit


async def count_active(session: AsyncSession, coach_id: int, today: date) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.coach_id == coach_id, active_clause(today))
        )
        or 0
    )


async def caseloads(
    session: AsyncSession, today: date, absent: Mapping[int, AbsenceKind] | None = None
) -> list[Load]:
    """Every active coach, and every team lead or admin who holds families, with how many
    they hold; most room first, then by name. `absent` (coach id → kind of absence) marks
    who is away now: they sort after everyone with room."""
    absent = absent or {}
    counts = dict(
        (
            await session.execute(
                select(Case.coach_id, func.count())
                .where(Case.coach_id.is_not(None), active_clause(today))
                .group_by(Case.coach_id)
            )
        ).all()
    )
    people = await session.scalars(
        select(Coach).where(Coach.active.is_(True), Coach.role.in_(CASE_ROLES))
    )
    loads = [
        Load(coach, counts.get(coach.id, 0), absent.get(coach.id))
        for coach in people
        if coach.role is Role.COACH or counts.get(coach.id, 0) > 0
    ]
    return sorted(
        loads,
        key=lambda load: (
            load.absent is not None,
            -load.room,
            load.coach.name.casefold(),
        ),
    )
