"""A team lead assigns an absent coach's family by hand: whom they may choose (present, with
room) and the assignment itself, checked against the rules every holder goes through."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import select
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
from bot.scheduling.outbox import enqueue
from bot.services.absence.backup_round import ASSIGNED_KIND
from bot.services.absence.candidates import absent_ids, live_cover
from bot.services.audit import trail as audit
from bot.services.cases import holders
from bot.services.cases.caseload import count_active


async def rooms(
    session: AsyncSession, config: TeamConfig, now: datetime
) -> list[tuple[Coach, int]]:
    """Present team members with room, most room first: whom a lead may assign by hand."""
    absent = await absent_ids(session, now, now + timedelta(seconds=1))
    people = await session.scalars(
        select(Coach).where(
            Coach.role.in_((Role.COACH, Role.TEAMLEAD)),
            Coach.active.is_(True),
            Coach.telegram_user_id.is_not(None),
        )
    )
    today = config.local_date(now)
    result = []
    for coach in people:
        if coach.id in absent:
            continue
        room = coach.caseload_limit - await count_active(session, coach.id, today)
        if room > 0:
            result.append((coach, room))
    return sorted(result, key=lambda item: (-item[1], item[0].name.casefold()))


class Assigned(enum.StrEnum):
    DONE = "done"
    NOT_LEAD = "not_lead"
    GONE = "gone"  # the absence is over or the family not theirs any more
    NO_ROOM = "no_room"


async def assign_by_hand(
    session: AsyncSession,
    config: TeamConfig,
    *,
    lead: Coach,
    absence_id: int,
    case_id: int,
    coach_id: int,
    now: datetime,
) -> tuple[Assigned, Case | None, Coach | None]:
    """A lead's choice replaces any request still out: an accepted cover without rank."""
    if lead.role not in (Role.TEAMLEAD, Role.ADMIN):
        return Assigned.NOT_LEAD, None, None
    absence = await session.get(AbsenceRecord, absence_id)
    case = await session.get(Case, case_id)
    coach = await session.get(Coach, coach_id)
    if (
        absence is None
        or case is None
        or coach is None
        or case.coach_id != absence.coach_id
        or (absence.end is not None and absence.end <= now)
    ):
        return Assigned.GONE, case, coach
    if not holders.may_hold(coach):
        return Assigned.NO_ROOM, case, coach
    if coach.id not in {c.id for c, _ in await rooms(session, config, now)}:
        return Assigned.NO_ROOM, case, coach
    existing = await live_cover(session, absence.id, case.id)
    if existing is not None:
        existing.status = CoverStatus.CANCELLED
        existing.answered_at = now
        await session.flush()
    cover = CaseCover(
        case_id=case.id,
        absence_id=absence.id,
        coach_id=coach.id,
        status=CoverStatus.ACCEPTED,
        rank=None,
        asked_at=now,
        answered_at=now,
    )
    session.add(cover)
    await session.flush()
    cover.outbox_key = f"cover-assigned:{cover.id}"
    await enqueue(
        session,
        key=cover.outbox_key,
        kind=ASSIGNED_KIND,
        coach_id=coach.id,
        due_at=now,
        now=now,
        payload={"cover_id": cover.id},
    )
    audit.record(
        session,
        at=now,
        action="cover.assigned",
        outcome="accepted",
        actor=lead,
        subject=case.code,
        detail=f"absence {absence.id}, coach {coach.id}",
    )
    await session.flush()
    return Assigned.DONE, case, coach
