"""Reading `/visit [CODE] [until 15:30 | 90m] [note]`: the code comes first, the time next,
the rest is the note. Plain parsing, no Telegram and no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services.alerts.codes import valid_code

MAX_NOTE = 200
_LENGTH = re.compile(r"^(\d{1,3})\s*(m|min|minuten|minutes|u|h|uur|hours?)?$", re.IGNORECASE)
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_UNTIL = frozenset({"until", "tot", "till"})


@dataclass(frozen=True)
class VisitRequest:
    code: str | None
    length: timedelta | None = None  # "90m"
    until: time | None = None  # "until 15:30", local wall time
    note: str | None = None


def _as_length(token: str) -> timedelta | None:
    match = _LENGTH.match(token)
    if not match:
        return None
    unit = (match[2] or "m").lower()
    minutes = int(match[1]) * (60 if unit[0] in "uh" else 1)
    return timedelta(minutes=minutes) if minutes > 0 else None


def _as_clock(token: str) -> time | None:
    match = _CLOCK.match(token)
    return time(int(match[1]), int(match[2])) if match else None


def parse(args: list[str]) -> VisitRequest | None:
    """None when a code is not a code (the caller says so and starts nothing)."""
    tokens = list(args)
    code = None
    # A first token that is no time is the code: codes have a digit in them (GZ-1042).
    if tokens and not _is_time(tokens, 0):
        if not (valid_code(tokens[0]) and any(ch.isdigit() for ch in tokens[0])):
            return None
        code = tokens.pop(0)
    length, until = None, None
    if tokens and tokens[0].lower() in _UNTIL and len(tokens) > 1:
        until = _as_clock(tokens[1])
        if until is None:
            return None
        tokens = tokens[2:]
    elif tokens and (until := _as_clock(tokens[0])) is not None:
        tokens = tokens[1:]
    elif tokens and (length := _as_length(tokens[0])) is not None:
        tokens = tokens[1:]
    note = " ".join(" ".join(tokens).split())[:MAX_NOTE] or None
    return VisitRequest(code=code, length=length, until=until, note=note)


def _is_time(tokens: list[str], i: int) -> bool:
    token = tokens[i]
    return token.lower() in _UNTIL or _as_clock(token) is not None or _as_length(token) is not None


def end_of(request: VisitRequest, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The expected end as a UTC instant: `until` is the next time the clock in `tz` shows
    that time (after midnight for a late visit)."""
    if request.length is not None:
        return now + request.length
    if request.until is None:
        return None
    local = now.astimezone(tz)
    for days in (0, 1):
        day = local.date() + timedelta(days=days)
        end = datetime.combine(day, request.until, tzinfo=tz).astimezone(now.tzinfo)
        if end > now:
            return end
    return None
