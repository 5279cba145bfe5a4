"""What can change who holds a duty at one instant: the absences and roster overrides in force
then, and the rotations and plan shifts a lead keeps with /rota. A handful of rows in two round
trips, for the paths that cannot afford load_roster's team and two-month window: a case card
asked for from the road, the route of a crisis alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CompoundSelect, String, bindparam, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import Duty
from bot.config.team import TeamConfig
from bot.models import AbsenceRecord, Coach, RosterOverride
from bot.models.base import UTCDateTime
from bot.services.rosters import core as roster
from bot.services.rosters import rotations
from bot.services.rosters.core import Absence, Override, Shift
from bot.services.rosters.store import member_key

_INSTANT = timedelta(microseconds=1)


def _statement() -> CompoundSelect[str, int, str, str, datetime, int]:
    # Built once, with a bind parameter: on these paths building the statement cost as much
    # as running it.
    now = bindparam("now", type_=UTCDateTime)
    absences = (
        select(
            literal("a").label("kind"),
            Coach.id,
            Coach.name,
            literal(None, String).label("duty"),
            literal(None, UTCDateTime).label("created"),
            AbsenceRecord.id.label("row_id"),
        )
        .join(Coach, Coach.id == AbsenceRecord.coach_id)
        .where(
            AbsenceRecord.start <= now,
            or_(AbsenceRecord.end.is_(None), AbsenceRecord.end > now),
        )
    )
    overrides = (
        select(
            literal("o").label("kind"),
            Coach.id,
            Coach.name,
            RosterOverride.duty,
            RosterOverride.created_at,
            RosterOverride.id,
        )
        .join(Coach, Coach.id == RosterOverride.coach_id)
        .where(
            RosterOverride.cancelled_at.is_(None),
            RosterOverride.start <= now,
            RosterOverride.end > now,
        )
    )
    return union_all(absences, overrides)


_IN_FORCE = _statement()


@dataclass(frozen=True)
class InForce:
    """Names are spelled as the rotations spell their members, so they match the holders."""

    now: datetime
    config: TeamConfig  # with the rotations and plan shifts in force now
    absent: dict[int, str]  # coach id → name
    overrides: list[Override]  # latest-created last, each over [now, now + 1 µs)
    absences: list[Absence]
    ids: dict[str, int]  # name → coach id, for every coach named here

    def holder(self, duty: Duty) -> Shift | None:
        """The shift of `duty` at this instant, as roster.holder_at gives it (None when the
        duty is not held now) but cut to the instant: only its holder is meant to be used.
        Only the rows in force now can change the outcome now, so two months of windows
        need not be worked out."""
        if not self.config.duties.rostered(duty):
            return None
        end = self.now + _INSTANT
        shifts = roster.shifts_between(
            self.config, duty, self.now, end, self.overrides, self.absences
        )
        return shifts[0] if shifts else None


async def load(session: AsyncSession, config: TeamConfig, now: datetime) -> InForce:
    rows = list(await session.execute(_IN_FORCE, {"now": now}))
    config = await rotations.effective_config(session, config, now, now + _INSTANT)
    spelled = {member_key(n): n for n in config.duties.members()}

    def as_member(name: str) -> str:
        return spelled.get(member_key(name), name)

    found = sorted((r for r in rows if r.kind == "o"), key=lambda r: (r.created, r.row_id))
    away = [r for r in rows if r.kind == "a"]
    return InForce(
        now=now,
        config=config,
        absent={r.id: as_member(r.name) for r in away},
        overrides=[Override(r.duty, as_member(r.name), now, now + _INSTANT) for r in found],
        absences=[Absence(as_member(r.name), now, now + _INSTANT) for r in away],
        ids={as_member(r.name): r.id for r in rows},
    )
