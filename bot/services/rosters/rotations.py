"""The rotations in force, kept in the database, and the config the roster reads them through.

The team config's rotations are only the initial content: `import_if_empty` copies them in when
the tables are empty (at start, or before the first change a lead makes), and until then the
config's rotations are read as they are. Every roster question (/now, /roster, notices, alert
routing, calendars) goes through `effective_config`, so a lead's change is in force at the next
question, on every instance, without a restart.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, time

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import DUTIES, Duty, PlannedShift, RotationConfig
from bot.config.team import TeamConfig
from bot.models import Coach, PlanStatus, RosterPlan, RosterPlanShift, RotationMember, RotationRow
from bot.services.audit import trail as audit
from bot.services.team import workdays as workdays_service


def to_json(rotation: RotationConfig) -> str:
    return json.dumps(
        {
            "members": list(rotation.members),
            "shift": rotation.shift,
            "handover": rotation.handover.strftime("%H:%M") if rotation.handover else None,
            "start": rotation.start.isoformat() if rotation.start else None,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def from_json(text: str) -> RotationConfig:
    return RotationConfig.model_validate(json.loads(text))


def _from_row(row: RotationRow, members: list[str]) -> RotationConfig:
    # model_construct: the stored rotation was validated before it was saved, and a start
    # date that a lead cleared with members still in place is shown, not refused here.
    return RotationConfig.model_construct(
        members=tuple(members),
        shift=row.shift,  # type: ignore[arg-type]
        handover=time.fromisoformat(row.handover) if row.handover else None,
        start=row.start,
    )


async def stored_rotations(session: AsyncSession) -> dict[Duty, RotationConfig] | None:
    """The rotations in the database, or None while the tables are empty. One query: the
    alert route and the case card ask this on every look-up."""
    rows = await session.execute(
        select(RotationRow, RotationMember.name)
        .outerjoin(RotationMember, RotationMember.duty == RotationRow.duty)
        .order_by(RotationRow.duty, RotationMember.position)
    )
    settings: dict[str, RotationRow] = {}
    members: dict[str, list[str]] = {}
    for row, name in rows:
        settings[row.duty] = row
        if name is not None:
            members.setdefault(row.duty, []).append(name)
    if not settings:
        return None
    return {
        duty: _from_row(settings[duty], members.get(duty, []))
        if duty in settings
        else RotationConfig()
        for duty in DUTIES
    }


async def current_rotations(
    session: AsyncSession, config: TeamConfig
) -> dict[Duty, RotationConfig]:
    stored = await stored_rotations(session)
    if stored is not None:
        return stored
    return {duty: config.duties.rotation(duty) for duty in DUTIES}


async def planned_shifts(session: AsyncSession, lo: datetime, hi: datetime) -> list[PlannedShift]:
    """Approved plan shifts overlapping [lo, hi)."""
    rows = await session.execute(
        select(RosterPlanShift.duty, Coach.name, RosterPlanShift.start, RosterPlanShift.end)
        .join(RosterPlan, RosterPlan.id == RosterPlanShift.plan_id)
        .outerjoin(Coach, Coach.id == RosterPlanShift.coach_id)
        .where(
            RosterPlan.status == PlanStatus.APPROVED,
            RosterPlanShift.end > lo,
            RosterPlanShift.start < hi,
        )
    )
    return [PlannedShift(r.duty, r.name, r.start, r.end) for r in rows]


async def effective_config(
    session: AsyncSession,
    config: TeamConfig,
    lo: datetime,
    hi: datetime,
    coaches: Iterable[Coach] | None = None,
) -> TeamConfig:
    """`config` with the rotations, workdays and approved plan shifts (those overlapping
    [lo, hi)) kept in the database."""
    if coaches is None:
        coaches = await session.scalars(select(Coach).where(Coach.workdays.is_not(None)))
    workdays = {
        c.name: days
        for c in coaches
        if (days := workdays_service.from_stored(c.workdays)) is not None
    }
    duties = config.duties.with_rota(
        await stored_rotations(session), workdays, await planned_shifts(session, lo, hi)
    )
    return config.model_copy(update={"duties": duties})


async def import_if_empty(
    session: AsyncSession, config: TeamConfig, now: datetime, by: Coach | None = None
) -> bool:
    """Copies the team config's rotations in when the tables are empty; True when it did.
    The caller commits."""
    if await session.scalar(select(RotationRow.duty).limit(1)) is not None:
        return False
    for duty in DUTIES:
        _write(session, duty, config.duties.rotation(duty), now, by)
    audit.record(
        session,
        at=now,
        action="rota.import",
        outcome="ok",
        actor=by,
        detail="rotations copied from the team config",
    )
    return True


async def import_at_start(sessionmaker, config: TeamConfig, now: datetime) -> None:
    """At start: two instances starting together may both try; the second finds the rows."""
    async with sessionmaker() as session:
        if await import_if_empty(session, config, now):
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()


def _write(
    session: AsyncSession, duty: Duty, rotation: RotationConfig, now: datetime, by: Coach | None
) -> None:
    session.add(
        RotationRow(
            duty=duty,
            shift=rotation.shift,
            handover=rotation.handover.strftime("%H:%M") if rotation.handover else None,
            start=rotation.start,
            updated_at=now,
            updated_by_id=by.id if by else None,
        )
    )
    for position, name in enumerate(rotation.members):
        session.add(RotationMember(duty=duty, position=position, name=name))


async def save_rotation(
    session: AsyncSession,
    config: TeamConfig,
    duty: Duty,
    rotation: RotationConfig,
    *,
    by: Coach,
    now: datetime,
    summary: str,
) -> None:
    """Replaces one duty's rotation (audited). The caller commits."""
    await import_if_empty(session, config, now, by)
    await session.flush()
    await session.execute(delete(RotationMember).where(RotationMember.duty == duty))
    await session.execute(delete(RotationRow).where(RotationRow.duty == duty))
    await session.flush()
    _write(session, duty, rotation, now, by)
    audit.record(
        session,
        at=now,
        action="rota.change",
        outcome="applied",
        actor=by,
        subject=duty,
        detail=summary,
    )
    await session.flush()
