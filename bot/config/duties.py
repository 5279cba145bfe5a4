"""The `[duties]` section of the team config: office hours and the standby rotations.

In office hours one coach holds *bureaudienst*; outside them (evenings, nights, weekends and
Dutch public holidays) one coach is on *piket*, with *piket_second* as the second line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from bot.config.problem import ConfigProblem
from bot.i18n import N_

Duty = Literal["bureaudienst", "piket", "piket_second"]
DUTIES: tuple[Duty, ...] = ("bureaudienst", "piket", "piket_second")

# Duties held in office hours: only these respect a coach's workdays (piket is evenings,
# nights and weekends, outside anyone's working week).
OFFICE_DUTIES: frozenset[Duty] = frozenset({"bureaudienst"})

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_HHMM_PROBLEM = N_("must be a HH:MM time such as '08:30', not %(value)s")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _parse_hhmm(value: object) -> object:
    """Accepts "HH:MM" strings (and TOML local times on the minute); pydantic does the rest."""
    if isinstance(value, time):
        if value.second or value.microsecond or value.tzinfo is not None:
            raise ConfigProblem(_HHMM_PROBLEM, value=repr(value.isoformat()))
        return value
    if isinstance(value, str):
        match = _HHMM.match(value.strip())
        if not match:
            raise ConfigProblem(_HHMM_PROBLEM, value=repr(value))
        return time(int(match.group(1)), int(match.group(2)))
    raise ConfigProblem(_HHMM_PROBLEM, value=repr(value))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfficeHoursConfig(_Strict):
    """When bureaudienst is held; every other instant belongs to piket."""

    weekdays: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    start: time = time(8, 30)
    end: time = time(17, 0)
    # Dutch public holidays (holidays.country_holidays("NL"), Koningsdag included) are closed.
    public_holidays_closed: bool = True
    # Per-date exceptions the team agrees on: Good Friday counts as a public holiday in the
    # holidays package, yet many municipalities are open that day.
    open_dates: tuple[date, ...] = ()
    closed_dates: tuple[date, ...] = ()

    @field_validator("start", "end", mode="before")
    @classmethod
    def _hhmm(cls, value: object) -> object:
        return _parse_hhmm(value)

    @field_validator("weekdays")
    @classmethod
    def _distinct_days(cls, value: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        seen = [day for day in WEEKDAYS if day in value]
        if len(seen) != len(value):
            raise ConfigProblem(N_("weekdays must not repeat a day"))
        return value

    @model_validator(mode="after")
    def _ordered(self) -> OfficeHoursConfig:
        if self.start >= self.end:
            raise ConfigProblem(N_("office hours start must be before end (same day)"))
        both = set(self.open_dates) & set(self.closed_dates)
        if both:
            raise ConfigProblem(
                N_("%(day)s is in both open_dates and closed_dates"), day=min(both).isoformat()
            )
        return self

    @cached_property
    def iso_weekdays(self) -> frozenset[int]:
        """The office days as ISO weekday numbers (Monday = 1)."""
        return frozenset(WEEKDAYS.index(day) + 1 for day in self.weekdays)

    @cached_property
    def window_memo(self) -> dict[tuple[date, str], tuple[datetime, datetime] | None]:
        """Each local day's office window once worked out (see roster._office_window): every
        "who is on duty now" walks two months of days, and the config never changes."""
        return {}

    @cached_property
    def ranges_memo(self) -> dict[tuple[date, date, str], tuple[tuple[datetime, datetime], ...]]:
        """Office windows of a run of days (see roster._days_windows)."""
        return {}


class RotationConfig(_Strict):
    """One duty's rotation: members take turns, each for one shift, in the given order."""

    members: tuple[str, ...] = ()
    shift: Literal["day", "week"] = "week"
    # None: hand over when the duty's hours begin (office start for bureaudienst, office end
    # for piket and piket_second).
    handover: time | None = None
    start: date | None = None

    @field_validator("handover", mode="before")
    @classmethod
    def _handover_hhmm(cls, value: object) -> object:
        return None if value is None else _parse_hhmm(value)

    @field_validator("members")
    @classmethod
    def _clean_members(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        for name in value:
            if not name.strip():
                raise ConfigProblem(N_("member names must not be empty"))
            if name != name.strip():
                raise ConfigProblem(
                    N_("member name %(name)s has leading or trailing spaces"), name=repr(name)
                )
            key = name.casefold()
            if key in seen:
                raise ConfigProblem(N_("duplicate member %(name)s"), name=repr(name))
            seen.add(key)
        return value

    @model_validator(mode="after")
    def _start_when_rostered(self) -> RotationConfig:
        if self.members and self.start is None:
            raise ConfigProblem(N_("start date is required when members are given"))
        return self

    @property
    def shift_days(self) -> int:
        return 1 if self.shift == "day" else 7


class NotifyConfig(_Strict):
    """When the scheduler tells people about coming shifts."""

    reminder_minutes: int = Field(default=60, ge=0, le=7 * 24 * 60)
    # Gaps (time with nobody on duty) this far ahead are reported to the team lead.
    gap_alert_days: int = Field(default=14, ge=1, le=90)
    # A coach on a shift starting within this many hours is checked for reachability.
    reachability_hours: int = Field(default=24, ge=1, le=7 * 24)
    digest_weekday: Weekday = "mon"
    digest_time: time = time(8, 0)

    @field_validator("digest_time", mode="before")
    @classmethod
    def _digest_hhmm(cls, value: object) -> object:
        return _parse_hhmm(value)


class RestRule(_Strict):
    """Whoever held `after` must not start `before` within `min_rest_hours` of its end, for
    example no bureaudienst on the morning after a piket night."""

    after: Duty
    before: Duty
    min_rest_hours: float = Field(gt=0, le=72)


@dataclass(frozen=True)
class PlannedShift:
    """A shift of an approved roster plan: it takes the rotation's place in [start, end).
    holder None: a gap the plan left open."""

    duty: Duty
    holder: str | None
    start: datetime
    end: datetime


class DutyConfig(_Strict):
    office_hours: OfficeHoursConfig = OfficeHoursConfig()
    bureaudienst: RotationConfig = RotationConfig()
    piket: RotationConfig = RotationConfig()
    piket_second: RotationConfig = RotationConfig()
    notify: NotifyConfig = NotifyConfig()
    rest_rules: tuple[RestRule, ...] = ()
    # Filled from the database (bot/services/rosters/rotations.py), never from the TOML file:
    # each coach's workdays as ISO weekday numbers (absent: every day), and the approved plan
    # shifts per duty, by start, none overlapping.
    _workdays: Mapping[str, frozenset[int]] = PrivateAttr(default_factory=dict)
    _planned: Mapping[str, tuple[PlannedShift, ...]] = PrivateAttr(default_factory=dict)
    _planned_starts: Mapping[str, list[datetime]] = PrivateAttr(default_factory=dict)

    def with_rota(
        self,
        rotations: Mapping[Duty, RotationConfig] | None = None,
        workdays: Mapping[str, frozenset[int]] | None = None,
        planned: Iterable[PlannedShift] | None = None,
    ) -> DutyConfig:
        """A copy with the rotations, workdays and plan shifts kept in the database."""
        copy = self.model_copy(update={str(k): v for k, v in (rotations or {}).items()})
        if workdays is not None:
            copy._workdays = dict(workdays)
        if planned is not None:
            by_duty: dict[str, list[PlannedShift]] = {}
            for shift in sorted(planned, key=lambda s: (s.duty, s.start)):
                by_duty.setdefault(shift.duty, []).append(shift)
            copy._planned = {duty: tuple(shifts) for duty, shifts in by_duty.items()}
            copy._planned_starts = {d: [s.start for s in p] for d, p in by_duty.items()}
        return copy

    @property
    def workdays(self) -> Mapping[str, frozenset[int]]:
        return self._workdays

    def planned(self, duty: Duty) -> tuple[PlannedShift, ...]:
        return self._planned.get(duty, ())

    def planned_around(
        self, duty: Duty, instant: datetime
    ) -> tuple[PlannedShift | None, datetime | None]:
        """The plan shift covering `instant` (or None) and the start of the next one after it."""
        shifts = self._planned.get(duty)
        if not shifts:
            return None, None
        index = bisect_right(self._planned_starts[duty], instant) - 1
        if index >= 0 and shifts[index].end > instant:
            return shifts[index], None
        following = shifts[index + 1] if index + 1 < len(shifts) else None
        return None, following.start if following else None

    def works_on(self, name: str, day: date) -> bool:
        days = self._workdays.get(name)
        return days is None or day.isoweekday() in days

    def next_working(self, duty: Duty, holder: str, day: date) -> str | None:
        """Who takes `holder`'s turn on a day they do not work: the next member of the
        rotation after them who works it (None: nobody does)."""
        members = self.rotation(duty).members
        start = members.index(holder) + 1 if holder in members else 0
        for step in range(len(members)):
            candidate = members[(start + step) % len(members)]
            if candidate != holder and self.works_on(candidate, day):
                return candidate
        return None

    def rotation(self, duty: Duty) -> RotationConfig:
        if duty not in DUTIES:
            raise ValueError(f"unknown duty {duty!r}")
        rotation: RotationConfig = getattr(self, duty)
        return rotation

    def handover(self, duty: Duty) -> time:
        """The local time at which this duty's shifts change hands."""
        rotation = self.rotation(duty)
        if rotation.handover is not None:
            return rotation.handover
        if duty == "bureaudienst":
            return self.office_hours.start
        return self.office_hours.end

    def rostered(self, duty: Duty) -> bool:
        return bool(self.rotation(duty).members) or bool(self._planned.get(duty))

    def rostered_duties(self) -> list[Duty]:
        return [duty for duty in DUTIES if self.rostered(duty)]

    def members(self) -> list[str]:
        """Everyone on any rotation, in first-seen order."""
        seen: dict[str, None] = {}
        for duty in DUTIES:
            for name in self.rotation(duty).members:
                seen.setdefault(name, None)
        return list(seen)
