"""Who holds which duty when: the pure core of the standby roster (no database, no Telegram).

All instants going in and out are timezone-aware (results are in UTC). The reasoning happens in
the team's local wall-clock time: office hours, handovers and shift lengths are local, so a
"day" shift from 17:00 to 17:00 lasts 23 or 25 hours on the days the clocks change.

Resolution order for one instant: an approved plan's shift, or else the rotation, gives a
holder (for an office-hours duty, a holder's day off goes to the next member who works it),
an override replaces it (the one created last wins; list order is creation order), and an
absent holder is never the answer: that span becomes a gap with holder None.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

from bot.config.duties import OFFICE_DUTIES, Duty, DutyConfig, OfficeHoursConfig
from bot.config.team import TeamConfig

Source = Literal["rotation", "override"]

# How far holder_at looks either side of an instant for the edges of the duty window it is in.
# Windows are normally at most a long weekend; only a config without any office day has
# longer ones, and then the Shift it returns is cut off at this horizon.
SEARCH_HORIZON = timedelta(days=32)


def _require_aware(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class Shift:
    """One stretch of one duty with one outcome. holder None is a gap (nobody holds it)."""

    duty: Duty
    holder: str | None
    start: datetime
    end: datetime
    source: Source
    # For a gap caused by an absence: who would have held the duty.
    absent: str | None = None

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


@dataclass(frozen=True)
class Override:
    """Someone holds `duty` in [start, end) instead of the rotation's holder."""

    duty: Duty
    holder: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _require_aware("override start", self.start))
        object.__setattr__(self, "end", _require_aware("override end", self.end))
        if self.end <= self.start:
            raise ValueError("override end must be after its start")

    def covers(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


@dataclass(frozen=True)
class Absence:
    """`name` is unavailable in [start, end); end None means open-ended."""

    name: str
    start: datetime
    end: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _require_aware("absence start", self.start))
        if self.end is not None:
            object.__setattr__(self, "end", _require_aware("absence end", self.end))
            if self.end <= self.start:
                raise ValueError("absence end must be after its start")

    def covers(self, instant: datetime) -> bool:
        return self.start <= instant and (self.end is None or instant < self.end)


# --- local time ------------------------------------------------------------------------------


def _at(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The instant (UTC) of local wall time `wall` on `day`. A wall time the spring-forward
    gap skips maps to the instant an hour later; in the repeated autumn hour the first one."""
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)


@cache
def _nl_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def is_office_day(duties: DutyConfig, day: date) -> bool:
    office = duties.office_hours
    if day in office.open_dates:
        return True
    if day in office.closed_dates or day.isoweekday() not in office.iso_weekdays:
        return False
    return not (office.public_holidays_closed and day in _nl_holidays(day.year))


def _office_window(
    office: OfficeHoursConfig, duties: DutyConfig, tz: ZoneInfo, day: date
) -> tuple[datetime, datetime] | None:
    """The office-hour window of local `day` (UTC instants), or None on a closed day."""
    key = (day, tz.key)
    memo = office.window_memo
    if key not in memo:
        memo[key] = (
            (_at(day, office.start, tz), _at(day, office.end, tz))
            if is_office_day(duties, day)
            else None
        )
    return memo[key]


def _office_windows(
    duties: DutyConfig, tz: ZoneInfo, lo: datetime, hi: datetime
) -> list[tuple[datetime, datetime]]:
    """Office-hour windows, clipped to [lo, hi), in order."""
    first = lo.astimezone(tz).date() - timedelta(days=1)
    last = hi.astimezone(tz).date() + timedelta(days=1)
    windows = []
    for window_start, window_end in _days_windows(duties, tz, first, last):
        start, end = max(lo, window_start), min(hi, window_end)
        if start < end:
            windows.append((start, end))
    return windows


_RANGES_KEPT = 256


def _days_windows(
    duties: DutyConfig, tz: ZoneInfo, first: date, last: date
) -> tuple[tuple[datetime, datetime], ...]:
    """The office windows of the local days first..last. "Who is on duty now" asks for the
    same two months around today over and over, so the last few ranges are kept."""
    office = duties.office_hours
    memo = office.ranges_memo
    key = (first, last, tz.key)
    found = memo.get(key)
    if found is None:
        windows = []
        day = first
        while day <= last:
            window = _office_window(office, duties, tz, day)
            if window is not None:
                windows.append(window)
            day += timedelta(days=1)
        if len(memo) >= _RANGES_KEPT:
            memo.clear()
        found = memo[key] = tuple(windows)
    return found


def active_windows(
    config: TeamConfig, duty: Duty, lo: datetime, hi: datetime
) -> list[tuple[datetime, datetime]]:
    """The stretches of [lo, hi) in which `duty` is held: office hours for bureaudienst, all
    other time for piket and piket_second."""
    office = _office_windows(config.duties, config.tz, lo, hi)
    if duty == "bureaudienst":
        return office
    windows: list[tuple[datetime, datetime]] = []
    cursor = lo
    for start, end in office:
        if cursor < start:
            windows.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < hi:
        windows.append((cursor, hi))
    return windows


def is_active(config: TeamConfig, duty: Duty, instant: datetime) -> bool:
    """Whether `duty` is held at `instant` at all (office hours vs. the rest)."""
    config.duties.rotation(duty)  # rejects unknown duties
    instant = _require_aware("instant", instant)
    in_office = bool(
        _office_windows(config.duties, config.tz, instant, instant + timedelta(microseconds=1))
    )
    return in_office if duty == "bureaudienst" else not in_office


# --- rotation --------------------------------------------------------------------------------


def _rotation_at(config: TeamConfig, duty: Duty, instant: datetime) -> tuple[str | None, datetime]:
    """The rostered holder at `instant` (an approved plan's shift, else the rotation's turn)
    and when that shift ends (datetime.max in UTC when it never does: an unrostered duty)."""
    duties, tz = config.duties, config.tz
    planned, next_planned = duties.planned_around(duty, instant)
    if planned is not None:
        holder, end = planned.holder, planned.end
    else:
        holder, end = _turn_at(config, duty, instant)
        if next_planned is not None and next_planned < end:
            end = next_planned
    if holder is not None and duty in OFFICE_DUTIES:
        day = instant.astimezone(tz).date()
        if not duties.works_on(holder, day):
            # Their day off goes to the next member who works it, or is a gap.
            holder = duties.next_working(duty, holder, day)
            end = min(end, _at(day + timedelta(days=1), time(0), tz))
    return holder, end


def _turn_at(config: TeamConfig, duty: Duty, instant: datetime) -> tuple[str | None, datetime]:
    """The rotation's holder at `instant` and when that turn ends."""
    duties, tz = config.duties, config.tz
    rotation = duties.rotation(duty)
    if not rotation.members or rotation.start is None:
        return None, datetime.max.replace(tzinfo=UTC)
    handover = duties.handover(duty)
    first = _at(rotation.start, handover, tz)
    if instant < first:
        return None, first
    shift_day = instant.astimezone(tz).date()
    if instant < _at(shift_day, handover, tz):
        shift_day -= timedelta(days=1)
    index = (shift_day - rotation.start).days // rotation.shift_days
    end_day = rotation.start + timedelta(days=(index + 1) * rotation.shift_days)
    return rotation.members[index % len(rotation.members)], _at(end_day, handover, tz)


def rotation_shift_end(config: TeamConfig, duty: Duty, instant: datetime) -> datetime:
    """When the rotation shift that `instant` falls in hands over to the next member."""
    return _rotation_at(config, duty, _require_aware("instant", instant))[1]


def _resolve(
    duty: Duty,
    instant: datetime,
    rotation_holder: str | None,
    overrides: Sequence[Override],
    absences: Sequence[Absence],
) -> tuple[str | None, Source, str | None]:
    holder = rotation_holder
    source: Source = "rotation"
    for override in reversed(overrides):  # the latest-created override wins
        if override.duty == duty and override.covers(instant):
            holder, source = override.holder, "override"
            break
    if holder is not None and any(a.name == holder and a.covers(instant) for a in absences):
        return None, source, holder
    return holder, source, None


# --- public queries --------------------------------------------------------------------------


def shifts_between(
    config: TeamConfig,
    duty: Duty,
    start: datetime,
    end: datetime,
    overrides: Iterable[Override] = (),
    absences: Iterable[Absence] = (),
) -> list[Shift]:
    """The shifts of `duty` covering exactly the duty's active hours within [start, end), in
    order, without overlaps; contiguous within each duty window. Pieces are split at window
    edges, handovers and override/absence edges, and adjacent pieces with the same outcome are
    merged."""
    config.duties.rotation(duty)  # rejects unknown duties
    start = _require_aware("start", start)
    end = _require_aware("end", end)
    if end < start:
        raise ValueError("end must not be before start")
    overrides = [o for o in overrides if o.duty == duty]
    absences = list(absences)
    edges = sorted(
        {o.start for o in overrides}
        | {o.end for o in overrides}
        | {a.start for a in absences}
        | {a.end for a in absences if a.end is not None}
    )
    shifts: list[Shift] = []
    for window_start, window_end in active_windows(config, duty, start, end):
        cursor = window_start
        while cursor < window_end:
            rotation_holder, rotation_end = _rotation_at(config, duty, cursor)
            piece_end = min(window_end, rotation_end)
            for edge in edges:
                if edge > cursor:
                    piece_end = min(piece_end, edge)
                    break
            holder, source, absent = _resolve(duty, cursor, rotation_holder, overrides, absences)
            piece = Shift(duty, holder, cursor, piece_end, source, absent)
            last = shifts[-1] if shifts else None
            if (
                last is not None
                and last.end == piece.start
                and (last.holder, last.source, last.absent) == (holder, source, absent)
            ):
                shifts[-1] = replace(last, end=piece_end)
            else:
                shifts.append(piece)
            cursor = piece_end
    return shifts


def holder_at(
    config: TeamConfig,
    duty: Duty,
    instant: datetime,
    overrides: Iterable[Override] = (),
    absences: Iterable[Absence] = (),
) -> Shift | None:
    """The shift of `duty` that `instant` falls in, or None when the duty is not held then
    (bureaudienst outside office hours, piket inside them). The Shift spans the whole stretch
    with this outcome inside the current duty window (cut off at SEARCH_HORIZON)."""
    config.duties.rotation(duty)
    instant = _require_aware("instant", instant)
    windows = active_windows(config, duty, instant - SEARCH_HORIZON, instant + SEARCH_HORIZON)
    for window_start, window_end in windows:
        if window_start <= instant < window_end:
            for shift in shifts_between(
                config, duty, window_start, window_end, overrides, absences
            ):
                if shift.contains(instant):
                    return shift
    return None


def shifts_overlapping(
    config: TeamConfig,
    duty: Duty,
    start: datetime,
    end: datetime,
    overrides: Iterable[Override] = (),
    absences: Iterable[Absence] = (),
) -> list[Shift]:
    """The shifts of `duty` that overlap [start, end), each with its true start and end: a
    night that began yesterday or a week that ends after `end` is shown whole, never cut at
    the edges of the question (only at SEARCH_HORIZON, like holder_at)."""
    overrides, absences = list(overrides), list(absences)
    start = _require_aware("start", start)
    end = _require_aware("end", end)
    lo, hi = start, end
    first = holder_at(config, duty, start, overrides, absences)
    if first is not None:
        lo = min(lo, first.start)
    last = holder_at(config, duty, end, overrides, absences)
    if last is not None and last.start < end:
        hi = max(hi, last.end)
    return [
        s
        for s in shifts_between(config, duty, lo, hi, overrides, absences)
        if s.end > start and s.start < end
    ]


@dataclass(frozen=True)
class DutyStatus:
    """What /now shows for one duty: the shift in force (None: not held at this hour) and the
    next shift with another holder (None: nothing within the horizon)."""

    duty: Duty
    current: Shift | None
    next: Shift | None


def duty_status(
    config: TeamConfig,
    duty: Duty,
    instant: datetime,
    overrides: Iterable[Override] = (),
    absences: Iterable[Absence] = (),
    horizon: timedelta = timedelta(days=14),
) -> DutyStatus:
    overrides, absences = list(overrides), list(absences)
    current = holder_at(config, duty, instant, overrides, absences)
    after = current.end if current else instant
    following = shifts_between(config, duty, after, instant + horizon, overrides, absences)
    # "Next" means a change of hands: the same coach's next office day is not news.
    changed = (s for s in following if current is None or s.holder != current.holder)
    return DutyStatus(duty, current, next(changed, None))
