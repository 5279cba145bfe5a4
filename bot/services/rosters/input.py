"""Reading what coaches type about rosters: a duty, a day, a week, a time span. Pure
functions; a ValueError-free result object says what was wrong so handlers can translate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.config.duties import Duty
from bot.services.parsing import year_ok

DUTY_ALIASES: dict[str, Duty] = {
    "bureaudienst": "bureaudienst",
    "bureau": "bureaudienst",
    "bd": "bureaudienst",
    "piket": "piket",
    "oncall": "piket",
    "piket2": "piket_second",
    "piket_second": "piket_second",
    "tweede": "piket_second",
    "second": "piket_second",
}

_RELATIVE_DAYS = {"vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "overmorgen": 2}
_NEXT_WEEK = {"volgende", "next", "+1"}
_LAST_WEEK = {"vorige", "previous", "last", "-1"}
# re.ASCII: only 0-9 are digits here, as in bot.services.parsing.
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}))?$", re.ASCII)
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_ISO_WEEK = re.compile(r"^(\d{4})-?w?(\d{1,2})$", re.IGNORECASE | re.ASCII)
_WEEK = re.compile(r"^w?(\d{1,2})$", re.IGNORECASE | re.ASCII)
_SPAN = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)-([01]?\d|2[0-3])[:.]([0-5]\d)$", re.ASCII)


def parse_duty(text: str) -> Duty | None:
    return DUTY_ALIASES.get(text.strip().lower())


def parse_day(text: str, today: date) -> date | None:
    """'vandaag', 'morgen', '24-11', '24-11-2026' or '2026-11-24'. A day-month without a year
    is the next such day from today (so in December, '05-01' is next January). Years outside
    what the team plans for are not understood (weeks are added to them)."""
    found = _parse_day(text, today)
    return found if found is not None and year_ok(found.year) else None


def _parse_day(text: str, today: date) -> date | None:
    text = text.strip().lower()
    if text in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[text])
    try:
        if match := _YMD.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DMY.match(text):
            day, month = int(match[1]), int(match[2])
            if match[3]:
                return date(int(match[3]), month, day)
            candidate = date(today.year, month, day)
            if candidate < today - timedelta(days=31):
                candidate = date(today.year + 1, month, day)
            return candidate
    except ValueError:
        return None
    return None


def week_monday(year: int, week: int) -> date | None:
    if not year_ok(year):
        return None
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def parse_week(text: str, today: date) -> date | None:
    """The Monday of the week meant: '' (this week), 'volgende'/'next', 'vorige', a week
    number ('49', 'w49': the one nearest to today), '2026-W49', or any day in that week."""
    text = text.strip().lower()
    this_monday = today - timedelta(days=today.weekday())
    if not text:
        return this_monday
    if text in _NEXT_WEEK:
        return this_monday + timedelta(days=7)
    if text in _LAST_WEEK:
        return this_monday - timedelta(days=7)
    if match := _ISO_WEEK.match(text):
        return week_monday(int(match[1]), int(match[2]))
    if match := _WEEK.match(text):
        week = int(match[1])
        candidates = [week_monday(today.year + d, week) for d in (-1, 0, 1)]
        found = [c for c in candidates if c is not None]
        if not found:
            return None
        return min(found, key=lambda monday: abs((monday - this_monday).days))
    day = parse_day(text, today)
    return None if day is None else day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Span:
    start: time
    end: time


def parse_span(text: str) -> Span | None:
    """'08:30-12:00' (an end at or before the start means the next day: '17:00-08:30')."""
    match = _SPAN.match(text.strip())
    if not match:
        return None
    return Span(time(int(match[1]), int(match[2])), time(int(match[3]), int(match[4])))


def span_instants(day: date, span: Span, tz: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, span.start, tzinfo=tz)
    end_day = day if span.end > span.start else day + timedelta(days=1)
    return start, datetime.combine(end_day, span.end, tzinfo=tz)
