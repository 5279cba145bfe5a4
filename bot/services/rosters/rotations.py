"""The rotations in force, kept in the database, and the config the roster reads them through.

The team config's rotations are only the initial content: `import_if_empty` copies them in when
the tables are empty (at start, or before the first change a lead makes), and until then the
config's rotations are read as they are. Every roster question (/now, /roster, notices, alert
routing, calendars) goes through `effective_config`, so a lead's change is in force at the next
question, on every instance, without a restart.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, time
from typing import Any

from sqlalchemy import Date, Integer, String, bindparam, delete, literal, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config.duties import DUTIES, Duty, PlannedShift, RotationConfig
from bot.config.team import TeamConfig
from bot.models import Coach, PlanStatus, RosterPlan, RosterPlanShift, RotationMember, RotationRow
from bot.models.base import UTCDateTime
from bot.services.audit import trail as audit
from bot.services.team import workdays as workdays_service

log = logging.getLogger(__name__)


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
        shift="day" if row.shift == "day" else "week",
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


def _columns(kind: str, **given: Any) -> list[Any]:
    """One branch of the union below: the columns it has, typed NULLs for the rest."""
    types = {
        "duty": String,
        "position": Integer,
        "name": String,
        "text": String,
        "handover": String,
        "day": Date,
        "start": UTCDateTime,
        "end": UTCDateTime,
    }
    return [literal(kind).label("kind")] + [
        (given[key] if key in given else literal(None, kind_type)).label(key)
        for key, kind_type in types.items()
    ]


def _statement() -> Any:
    # Built once, with bind parameters, and read in one round trip: the alert route and the
    # case card ask for the rotations on every look-up (see in_force).
    lo = bindparam("lo", type_=UTCDateTime)
    hi = bindparam("hi", type_=UTCDateTime)
    settings = select(
        *_columns(
            "r",
            duty=RotationRow.duty,
            text=RotationRow.shift,
            handover=RotationRow.handover,
            day=RotationRow.start,
        )
    )
    members = select(
        *_columns(
            "m",
            duty=RotationMember.duty,
            position=RotationMember.position,
            name=RotationMember.name,
        )
    )
    workdays = select(*_columns("w", name=Coach.name, text=Coach.workdays)).where(
        Coach.workdays.is_not(None)
    )
    planned = (
        select(
            *_columns(
                "p",
                duty=RosterPlanShift.duty,
                name=Coach.name,
                start=RosterPlanShift.start,
                end=RosterPlanShift.end,
            )
        )
        .select_from(RosterPlanShift)
        .join(RosterPlan, RosterPlan.id == RosterPlanShift.plan_id)
        .outerjoin(Coach, Coach.id == RosterPlanShift.coach_id)
        .where(
            RosterPlan.status == PlanStatus.APPROVED,
            RosterPlanShift.end > lo,
            RosterPlanShift.start < hi,
        )
    )
    return union_all(settings, members, workdays, planned)


_ROTA = _statement()


async def effective_config(
    session: AsyncSession, config: TeamConfig, lo: datetime, hi: datetime
) -> TeamConfig:
    """`config` with the rotations, workdays and approved plan shifts (those overlapping
    [lo, hi)) kept in the database; the config's own rotations while none are stored."""
    settings: dict[str, Any] = {}
    members: dict[str, list[tuple[int, str]]] = {}
    workdays: dict[str, frozenset[int]] = {}
    planned: list[PlannedShift] = []
    for row in await session.execute(_ROTA, {"lo": lo, "hi": hi}):
        if row.kind == "r":
            settings[row.duty] = row
        elif row.kind == "m":
            members.setdefault(row.duty, []).append((row.position, row.name))
        elif row.kind == "w":
            if (days := workdays_service.from_stored(row.text)) is not None:
                workdays[row.name] = days
        else:
            planned.append(PlannedShift(row.duty, row.name, row.start, row.end))
    stored = None
    if settings:
        stored = {
            duty: RotationConfig.model_construct(
                members=tuple(name for _, name in sorted(members.get(duty, []))),
                shift=settings[duty].text,
                handover=time.fromisoformat(h) if (h := settings[duty].handover) else None,
                start=settings[duty].day,
            )
            if duty in settings
            else RotationConfig()
            for duty in DUTIES
        }
    duties = config.duties.with_rota(stored, workdays, planned)
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


async def import_at_start(
    sessionmaker: async_sessionmaker[AsyncSession], config: TeamConfig, now: datetime
) -> None:
    """At start: two instances starting together may both try; the second finds the rows.
    Rotations already stored win over the team config's, which an operator is told in the log
    when they differ (say after editing the file, expecting it to count)."""
    async with sessionmaker() as session:
        if await import_if_empty(session, config, now):
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()
            return
        stored = await stored_rotations(session)
    differ = [
        duty
        for duty in DUTIES
        if stored is not None and to_json(stored[duty]) != to_json(config.duties.rotation(duty))
    ]
    if differ:
        log.warning(
            "the rotations of %s in the database differ from the team config's; the database's "
            "are in force (a team lead changes them with /rota)",
            ", ".join(differ),
        )


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
