"""Who covers whom: each absent coach's active families and who stands in for them, now
(/covers) and over a whole absence (the returning coach's summary). One rule for both, in
`family_cover`:

An accepted backup request (issue 6) counts first; else the family's fixed backup coach,
unless they are absent (throughout), inactive, or turned down or let lapse the request for
this family in this absence; else the family is uncovered. This module only reads absences
and covers; creating them is the absence flow's job.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AbsenceKind, AbsenceRecord, Case, CaseCover, Coach, CoverStatus
from bot.services.cases.caseload import active_clause


class CoverKind(enum.StrEnum):
    COVER = "cover"  # an accepted backup request during this absence
    BACKUP = "backup"  # the family's fixed backup coach, who is present
    NONE = "none"


@dataclass(frozen=True)
class FamilyCover:
    code: str
    kind: CoverKind
    by: Coach | None
    # Over a whole absence: every coach who accepted a request, in order (by is the first).
    all_by: tuple[Coach, ...] = ()
    # The fixed backup was away for part of the absence.
    partly: bool = False


class Away(enum.Enum):
    NO = "no"
    PARTLY = "partly"
    THROUGHOUT = "throughout"


# A request the fixed backup answered like this means they do not stand in for the family.
REFUSED = (CoverStatus.DECLINED, CoverStatus.EXPIRED)


def family_cover(
    code: str,
    accepted: list[Coach],
    backup: Coach | None,
    backup_refused: bool,
    backup_away: Away,
) -> FamilyCover:
    """Who covered (or covers) one family: the rule shared by /covers and the summary."""
    if accepted:
        return FamilyCover(code, CoverKind.COVER, accepted[0], tuple(accepted))
    if (
        backup is not None
        and backup.active
        and not backup_refused
        and backup_away is not Away.THROUGHOUT
    ):
        return FamilyCover(
            code, CoverKind.BACKUP, backup, (backup,), partly=backup_away is Away.PARTLY
        )
    return FamilyCover(code, CoverKind.NONE, None)


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
    cover_rows = list(
        await session.scalars(
            select(CaseCover).where(
                CaseCover.case_id.in_([c.id for c in cases]),
                CaseCover.absence_id.in_([r.id for r in records]),
            )
        )
    )
    covers = {
        c.case_id: c.coach_id
        for c in cover_rows
        if c.status == CoverStatus.ACCEPTED and c.released_at is None
    }
    refused = {(c.case_id, c.coach_id) for c in cover_rows if c.status in REFUSED}
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
            backup_id = case.backup_coach_id
            families.append(
                family_cover(
                    case.code,
                    [people[covers[case.id]]] if case.id in covers else [],
                    people.get(backup_id) if backup_id else None,
                    (case.id, backup_id) in refused,
                    Away.THROUGHOUT if backup_id in absent_ids else Away.NO,
                )
            )
        result.append(Absent(people[coach_id], record.kind, record.start, record.end, families))
    return sorted(result, key=lambda a: (-len(a.uncovered), a.coach.name.casefold()))


async def covered_during(
    session: AsyncSession, absence: AbsenceRecord, cases: list[Case]
) -> dict[int, FamilyCover]:
    """Who covered each of `cases` (by case id) over the whole of an ended `absence`."""
    start, end = absence.start, absence.end or absence.start
    rows = list(
        await session.scalars(
            select(CaseCover)
            .where(CaseCover.absence_id == absence.id)
            .order_by(CaseCover.answered_at, CaseCover.id)
        )
    )
    backup_ids = {c.backup_coach_id for c in cases if c.backup_coach_id}
    people_ids = backup_ids | {r.coach_id for r in rows}
    people = {
        coach.id: coach
        for coach in await session.scalars(select(Coach).where(Coach.id.in_(people_ids)))
    }
    away = await _away(session, backup_ids, start, end)
    result = {}
    for case in cases:
        mine = [r for r in rows if r.case_id == case.id]
        accepted = [
            people[r.coach_id]
            for r in mine
            if r.status in (CoverStatus.ACCEPTED, CoverStatus.RELEASED)
        ]
        backup_id = case.backup_coach_id
        result[case.id] = family_cover(
            case.code,
            list(dict.fromkeys(accepted)),
            people.get(backup_id) if backup_id else None,
            any(r.coach_id == backup_id and r.status in REFUSED for r in mine),
            away.get(backup_id, Away.NO) if backup_id else Away.NO,
        )
    return result


async def _away(
    session: AsyncSession, ids: set[int], start: datetime, end: datetime
) -> dict[int, Away]:
    """How much of [start, end) each coach was absent."""
    if not ids or end <= start:
        return {}
    rows = await session.scalars(
        select(AbsenceRecord).where(
            AbsenceRecord.coach_id.in_(ids),
            AbsenceRecord.start < end,
            or_(AbsenceRecord.end.is_(None), AbsenceRecord.end > start),
        )
    )
    spans: dict[int, list[tuple[datetime, datetime]]] = {}
    for row in rows:
        spans.setdefault(row.coach_id, []).append((row.start, row.end or end))
    result = {}
    for coach_id, found in spans.items():
        cursor = start
        for span_start, span_end in sorted(found):
            if span_start > cursor:
                break
            cursor = max(cursor, span_end)
        result[coach_id] = Away.THROUGHOUT if cursor >= end else Away.PARTLY
    return result
