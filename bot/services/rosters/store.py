"""The roster as stored: the rotations and approved plans (bot/services/rosters/rotations.py)
plus the overrides and absences in the database, turned into the inputs of the pure roster
service.

Rotation members are names; they are linked to Coach records by name
(case and spacing ignored), and the Coach's spelling is used from then on so overrides and
absences (stored by coach) match the rotation's names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import Duty
from bot.config.team import TeamConfig
from bot.models import AbsenceRecord, Coach, RosterOverride
from bot.services.rosters import core as roster
from bot.services.rosters import rotations
from bot.services.rosters.core import Absence, DutyStatus, Override, Shift
from bot.services.team.coaches import normalise_name

# Overrides and absences this far outside the asked span still matter: holder_at looks for
# the edges of the duty window around an instant.
MARGIN = roster.SEARCH_HORIZON + timedelta(days=1)


def member_key(name: str) -> str:
    """How rotation members are matched to coaches: case and spacing ignored."""
    return normalise_name(name).casefold()


@dataclass(frozen=True)
class RosterState:
    config: TeamConfig
    overrides: list[Override]
    absences: list[Absence]
    # Every coach by name, active or not; rotation names without one are in `unlinked`.
    coaches: dict[str, Coach] = field(default_factory=dict)
    unlinked: list[str] = field(default_factory=list)

    def shifts(self, duty: Duty, start: datetime, end: datetime) -> list[Shift]:
        return roster.shifts_between(self.config, duty, start, end, self.overrides, self.absences)

    def all_shifts(self, start: datetime, end: datetime) -> list[Shift]:
        """Every rostered duty's shifts in [start, end), cut at both ends (for counting hours;
        to tell someone about a shift use `overlapping`), by start time then duty order."""
        duties = self.config.duties.rostered_duties()
        shifts = [s for duty in duties for s in self.shifts(duty, start, end)]
        return sorted(shifts, key=lambda s: (s.start, duties.index(s.duty)))

    def overlapping(self, start: datetime, end: datetime) -> list[Shift]:
        """Every rostered duty's shifts that overlap [start, end) with their true start and
        end (what a coach is told), by start time then duty order."""
        duties = self.config.duties.rostered_duties()
        shifts = [
            s
            for duty in duties
            for s in roster.shifts_overlapping(
                self.config, duty, start, end, self.overrides, self.absences
            )
        ]
        return sorted(shifts, key=lambda s: (s.start, duties.index(s.duty)))

    def holder_at(self, duty: Duty, instant: datetime) -> Shift | None:
        return roster.holder_at(self.config, duty, instant, self.overrides, self.absences)

    def status(self, duty: Duty, instant: datetime) -> DutyStatus:
        return roster.duty_status(self.config, duty, instant, self.overrides, self.absences)

    def coach(self, name: str | None) -> Coach | None:
        return None if name is None else self.coaches.get(name)

    def absent_at(self, name: str, instant: datetime) -> bool:
        return any(a.name == name and a.covers(instant) for a in self.absences)


def _canonical_config(config: TeamConfig, by_key: dict[str, Coach]) -> TeamConfig:
    duties = config.duties
    updates = {}
    for duty in ("bureaudienst", "piket", "piket_second"):
        rotation = duties.rotation(duty)
        names = tuple(
            by_key[member_key(n)].name if member_key(n) in by_key else n for n in rotation.members
        )
        if names != rotation.members:
            updates[duty] = rotation.model_copy(update={"members": names})
    if not updates:
        return config
    return config.model_copy(update={"duties": duties.model_copy(update=updates)})


# Built once: every crisis alert message is worded with it.
_ABSENT = (
    select(AbsenceRecord.id)
    .where(
        AbsenceRecord.coach_id == bindparam("coach_id"),
        AbsenceRecord.start <= bindparam("instant"),
        or_(AbsenceRecord.end.is_(None), AbsenceRecord.end > bindparam("instant")),
    )
    .limit(1)
)


async def is_absent(session: AsyncSession, coach_id: int, instant: datetime) -> bool:
    """Whether the coach is absent at `instant`: one query, for when no roster is needed."""
    found = await session.scalar(_ABSENT, {"coach_id": coach_id, "instant": instant})
    return found is not None


async def load_roster(
    session: AsyncSession, config: TeamConfig, start: datetime, end: datetime
) -> RosterState:
    """Everything needed to answer roster questions about [start, end)."""
    coaches = list(await session.scalars(select(Coach)))
    by_key = {member_key(c.name): c for c in coaches}
    by_id = {c.id: c for c in coaches}
    lo, hi = start - MARGIN, end + MARGIN
    override_rows = await session.scalars(
        select(RosterOverride)
        .where(
            RosterOverride.cancelled_at.is_(None),
            RosterOverride.end > lo,
            RosterOverride.start < hi,
        )
        .order_by(RosterOverride.created_at, RosterOverride.id)
    )
    overrides = [
        Override(row.duty, by_id[row.coach_id].name, row.start, row.end) for row in override_rows
    ]
    absence_rows = await session.scalars(
        select(AbsenceRecord).where(
            AbsenceRecord.start < hi,
            or_(AbsenceRecord.end.is_(None), AbsenceRecord.end > lo),
        )
    )
    absences = [Absence(by_id[row.coach_id].name, row.start, row.end) for row in absence_rows]
    config = await rotations.effective_config(session, config, lo, hi)
    canonical = _canonical_config(config, by_key)
    unlinked = [n for n in canonical.duties.members() if member_key(n) not in by_key]
    return RosterState(
        config=canonical,
        overrides=overrides,
        absences=absences,
        coaches={c.name: c for c in coaches},
        unlinked=unlinked,
    )
