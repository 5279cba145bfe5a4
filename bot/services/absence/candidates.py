"""Who may take an absent coach's family, in order.

Candidates, in order (issue 6):
1. the family's fixed backup coach, when present over the absence and under their limit;
2. every other present coach with room, most room first; ties go to whoever has the fewest
   live requests/covers now, then to whoever covered this family before, then by name.
Room is the caseload limit minus the coach's own active families. Only role coach is asked:
team leads are not candidates, they get the families nobody took and assign by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import (
    AbsenceRecord,
    Case,
    CaseCover,
    Coach,
    CoverStatus,
    Role,
)
from bot.services.cases.caseload import active_clause, count_active

LIVE = (CoverStatus.ASKED, CoverStatus.ACCEPTED)
# An open-ended absence is checked against the candidates' own absences this far ahead.
OPEN_END_HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class Candidate:
    coach_id: int
    name: str
    room: int
    covers: int  # live requests and covers right now
    knows_family: bool  # covered this family during an earlier absence
    fixed_backup: bool


def order_candidates(pool: list[Candidate]) -> list[Candidate]:
    """The order in which a family's backup request goes round (see the module doc)."""
    with_room = [c for c in pool if c.room > 0]
    fixed = [c for c in with_room if c.fixed_backup]
    rest = sorted(
        (c for c in with_room if not c.fixed_backup),
        key=lambda c: (-c.room, c.covers, not c.knows_family, c.name.casefold()),
    )
    return fixed + rest


async def families(
    session: AsyncSession, config: TeamConfig, coach_id: int, now: datetime
) -> list[Case]:
    return list(
        await session.scalars(
            select(Case)
            .where(Case.coach_id == coach_id, active_clause(config.local_date(now)))
            .order_by(Case.code)
        )
    )


async def absent_ids(session: AsyncSession, start: datetime, end: datetime | None) -> set[int]:
    """Coaches absent at any moment of [start, end)."""
    until = end or start + OPEN_END_HORIZON
    rows = await session.scalars(
        select(AbsenceRecord.coach_id).where(
            AbsenceRecord.start < until,
            or_(AbsenceRecord.end.is_(None), AbsenceRecord.end > start),
        )
    )
    return set(rows)


async def _live_counts(session: AsyncSession) -> dict[int, int]:
    rows = await session.execute(
        select(CaseCover.coach_id, func.count())
        .where(CaseCover.status.in_(LIVE), CaseCover.released_at.is_(None))
        .group_by(CaseCover.coach_id)
    )
    return {coach_id: count for coach_id, count in rows}


async def candidates(
    session: AsyncSession, config: TeamConfig, absence: AbsenceRecord, case: Case, now: datetime
) -> list[Candidate]:
    """Everyone who may still be asked for this family during this absence, in order."""
    asked = set(
        await session.scalars(
            select(CaseCover.coach_id).where(
                CaseCover.case_id == case.id, CaseCover.absence_id == absence.id
            )
        )
    )
    absent = await absent_ids(session, absence.start, absence.end)
    people = await session.scalars(
        select(Coach).where(
            Coach.role == Role.COACH,
            Coach.active.is_(True),
            Coach.telegram_user_id.is_not(None),
        )
    )
    before = set(
        await session.scalars(
            select(CaseCover.coach_id).where(
                CaseCover.case_id == case.id,
                CaseCover.absence_id != absence.id,
                CaseCover.status.in_((CoverStatus.ACCEPTED, CoverStatus.RELEASED)),
            )
        )
    )
    live = await _live_counts(session)
    today = config.local_date(now)
    pool = []
    for coach in people:
        if coach.id in asked or coach.id in absent or coach.id == absence.coach_id:
            continue
        pool.append(
            Candidate(
                coach_id=coach.id,
                name=coach.name,
                room=coach.caseload_limit - await count_active(session, coach.id, today),
                covers=live.get(coach.id, 0),
                knows_family=coach.id in before,
                fixed_backup=coach.id == case.backup_coach_id,
            )
        )
    return order_candidates(pool)


async def live_cover(session: AsyncSession, absence_id: int, case_id: int) -> CaseCover | None:
    return await session.scalar(
        select(CaseCover).where(
            CaseCover.absence_id == absence_id,
            CaseCover.case_id == case_id,
            CaseCover.status.in_(LIVE),
        )
    )
