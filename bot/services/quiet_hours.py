"""Working hours for messages that can wait: when one may be sent, and a deadline that counts
working time only (a request at 01:30 with two hours to answer is sent at 08:00 and due at
10:00). Local wall-clock reasoning, so the morning hour stays 08:00 across a clock change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from bot.config.team import TeamConfig
from bot.services.rosters.core import _nl_holidays

# How many days ahead working time is looked for: more than any run of weekends and holidays.
_SEARCH_DAYS = 60


def _at(config: TeamConfig, day: date, wall: time) -> datetime:
    return datetime.combine(day, wall, tzinfo=config.tz).astimezone(UTC)


def _working_day(config: TeamConfig, day: date) -> bool:
    quiet = config.quiet_hours
    if quiet.weekends and day.isoweekday() >= 6:
        return False
    return not (quiet.public_holidays and day in _nl_holidays(day.year))


def _day_spans(config: TeamConfig, day: date) -> list[tuple[datetime, datetime]]:
    """The working stretches of local `day`."""
    quiet = config.quiet_hours
    if not _working_day(config, day):
        return []
    if quiet.end < quiet.start:  # quiet across midnight, the usual case
        return [(_at(config, day, quiet.end), _at(config, day, quiet.start))]
    midnight, next_midnight = (
        _at(config, day, time(0)),
        _at(config, day + timedelta(days=1), time(0)),
    )
    spans = [
        (midnight, _at(config, day, quiet.start)),
        (_at(config, day, quiet.end), next_midnight),
    ]
    return [(a, b) for a, b in spans if a < b]


def _spans_from(config: TeamConfig, instant: datetime) -> Iterator[tuple[datetime, datetime]]:
    day = instant.astimezone(config.tz).date() - timedelta(days=1)
    for _ in range(_SEARCH_DAYS):
        for start, end in _day_spans(config, day):
            if end > instant:
                yield max(start, instant), end
        day += timedelta(days=1)


def next_working(config: TeamConfig, instant: datetime) -> datetime:
    """`instant` when it is in working hours, else the next morning hour of a working day."""
    if not config.quiet_hours.enabled:
        return instant
    for start, _ in _spans_from(config, instant):
        return start
    return instant


def send_time(
    config: TeamConfig, instant: datetime, *, useful_until: datetime | None = None
) -> datetime:
    """When a non-urgent message due at `instant` is sent: held until working hours, unless
    holding it would make it come too late (say a gap in tonight's roster)."""
    held = next_working(config, instant)
    if useful_until is not None and held >= useful_until:
        return instant
    return held


def working_deadline(config: TeamConfig, start: datetime, span: timedelta) -> datetime:
    """`span` of working time after `start`."""
    if not config.quiet_hours.enabled:
        return start + span
    left = span
    for a, b in _spans_from(config, start):
        if b - a >= left:
            return a + left
        left -= b - a
    return start + span
