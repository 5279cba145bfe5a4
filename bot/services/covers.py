"""Who covers whom now: each absent coach's active families and who stands in for them.

An accepted backup request (issue 6) counts first; else the family's fixed backup coach,
unless they are absent too; else the family is uncovered. This module only reads absences
and covers; creating them is the absence flow's job.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AbsenceKind, AbsenceRecord, Case, CaseCover, Coach, CoverStatus
from bot.services.caseload import active_clause


class CoverKind(enum.StrEnum):
    COVER = "cover"  # an accepted backup request during this absence
    BACKUP = "backup"  # the family's fixed backup coach, who is present
    NONE = "none"


@dataclass(frozen=True)
class FamilyCover:
    code: str
    kind: CoverKind
    by: Coach | None


@dataclass(frozen=True)
class Absent:
    coach: Coach
    kind: AbsenceKind
    start: datetime
    end: datetime | None  # None: until they report back
    families: list[FamilyCover]

    @property
    def uncovered(self) -> list[FamilyCover]:
        return [f for f in self.families if f.kind is CoverKind.NONE]


async def current_absences(session: AsyncSession, now: datetime) -> list[AbsenceRecord]:
    return list(
        await session.scalars(
            select(AbsenceRecord)
            .where(
                AbsenceRecord.start <= now,
                or_(AbsenceRecord.end.is_(None), AbsenceRecord.end > now),
            )
            .order_by(AbsenceRecord.start, AbsenceRecord.id)
        )
    )


async def coverage(session: AsyncSession, now: datetime, tz: tzinfo) -> list[Absent]:
    """Every coach absent now with their families; absences with open gaps first (most
    gaps first), then by name."""
    records = await current_absences(session, now)
    if not records:
        return []
    # One coach may have overlapping records (sick during leave): shown once, earliest first.
    by_coach: dict[int, AbsenceRecord] = {}
    for record in records:
        by_coach.setdefault(record.coach_id, record)
    absent_ids = set(by_coach)
    today = now.astimezone(tz).date()
    cases = list(
        await session.scalars(
            select(Case)
            .where(Case.coach_id.in_(absent_ids), active_clause(today))
            .order_by(Case.code)
        )
    )
    covers = {
        cover.case_id: cover.coach_id
        for cover in await session.scalars(
            select(CaseCover).where(
                CaseCover.case_id.in_([c.id for c in cases]),
                CaseCover.status == CoverStatus.ACCEPTED,
                CaseCover.released_at.is_(None),
            )
        )
    }
    people_ids = (
        absent_ids | set(covers.values()) | {c.backup_coach_id for c in cases if c.backup_coach_id}
    )
    people = {
        coach.id: coach
        for coach in await session.scalars(select(Coach).where(Coach.id.in_(people_ids)))
    }
    result = []
    for coach_id, record in by_coach.items():
        families = []
        for case in (c for c in cases if c.coach_id == coach_id):
            if case.id in covers:
                families.append(FamilyCover(case.code, CoverKind.COVER, people[covers[case.id]]))
            elif (backup := _present_backup(case, people, absent_ids)) is not None:
                families.append(FamilyCover(case.code, CoverKind.BACKUP, backup))
            else:
                families.append(FamilyCover(case.code, CoverKind.NONE, None))
        result.append(Absent(people[coach_id], record.kind, record.start, record.end, families))
    return sorted(result, key=lambda a: (-len(a.uncovered), a.coach.name.casefold()))


def _present_backup(case: Case, people: dict[int, Coach], absent_ids: set[int]) -> Coach | None:
    """The fixed backup covers only while they are active and not absent themselves."""
    if case.backup_coach_id is None or case.backup_coach_id in absent_ids:
        return None
    backup = people[case.backup_coach_id]
    return backup if backup.active else None
