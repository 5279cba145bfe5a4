"""Roster shifts as an iCalendar (RFC 5545) file, for a coach's own calendar app or the team's.

Events carry the team's local time (TZID plus a VTIMEZONE), so a calendar app shows a piket
night over a clock change from 17:00 to 17:00, not shifted by an hour. Every event's UID is
derived from its duty, start and holder: importing a newer export updates the events that are
still the same instead of duplicating them, and the coach's and the team's export agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.i18n import Translator
from bot.services.rosters import core as roster
from bot.services.rosters.core import Shift
from bot.services.rosters.store import RosterState, load_roster
from bot.texts.roster import duty_name, holder_text

PRODID = "-//Achtervang//Roster export//NL"
UID_DOMAIN = "achtervang"
MEDIA_TYPE = "text/calendar"
DEFAULT_WEEKS = 8

# Shifts are computed this far beyond the export span so the first and last shift keep their
# real start and end (a shift cut off at "now" would get a new UID on every export). No duty
# window outlasts it (see roster.SEARCH_HORIZON).
LOOKAROUND = roster.SEARCH_HORIZON


@dataclass(frozen=True)
class Export:
    """The shifts of one export: all overlapping [start, end), with their true edges."""

    start: datetime
    end: datetime
    shifts: list[Shift]

    @property
    def held(self) -> list[Shift]:
        return [s for s in self.shifts if s.holder is not None]

    @property
    def gaps(self) -> list[Shift]:
        return [s for s in self.shifts if s.holder is None]


def export_span(now: datetime, weeks: int = DEFAULT_WEEKS) -> tuple[datetime, datetime]:
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    return now, now + timedelta(weeks=weeks)


def shifts_overlapping(state: RosterState, start: datetime, end: datetime) -> list[Shift]:
    """Every rostered duty's shifts that overlap [start, end), uncut. `state` must have been
    loaded for [start - LOOKAROUND, end + LOOKAROUND]."""
    wide = state.all_shifts(start - LOOKAROUND, end + LOOKAROUND)
    return [s for s in wide if s.end > start and s.start < end]


async def load_export(
    session: AsyncSession,
    config: TeamConfig,
    now: datetime,
    weeks: int = DEFAULT_WEEKS,
    holder: str | None = None,
) -> Export:
    """The team's shifts (gaps included) from `now` for `weeks` weeks; with `holder`, only the
    shifts that coach holds."""
    start, end = export_span(now, weeks)
    state = await load_roster(session, config, start - LOOKAROUND, end + LOOKAROUND)
    shifts = shifts_overlapping(state, start, end)
    if holder is not None:
        shifts = [s for s in shifts if s.holder == holder]
    return Export(start, end, shifts)


def _uid(key: str) -> str:
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@{UID_DOMAIN}"


def event_uid(shift: Shift) -> str:
    return _uid(f"{shift.duty}|{shift.start.isoformat()}|{shift.holder or ''}")


def event_summary(tr: Translator, shift: Shift) -> str:
    name = duty_name(tr, shift.duty)
    if shift.holder is None:
        return tr._("GAP: %(duty)s", duty=name)
    return tr._("%(duty)s: %(holder)s", duty=name, holder=shift.holder)


def _event(tr: Translator, shift: Shift, stamp: datetime) -> Event:
    event = Event.new(
        uid=event_uid(shift),
        stamp=stamp,
        # Local wall time with its zone: calendar apps then keep 17:00 at 17:00 across DST.
        start=shift.start.astimezone(tr.tz),
        end=shift.end.astimezone(tr.tz),
        summary=event_summary(tr, shift),
    )
    if shift.holder is None:
        event.description = holder_text(tr, shift)
    return event


def build_calendar(
    tr: Translator, shifts: Iterable[Shift], *, name: str, stamp: datetime
) -> Calendar:
    """One VEVENT per shift, in the translator's language and time zone (the team's)."""
    shifts = list(shifts)
    if not shifts:
        # RFC 5545 wants at least one component; callers say "no shifts" instead of a file.
        raise ValueError("a calendar needs at least one shift")
    calendar = Calendar.new(prodid=PRODID, name=name, uid=_uid(f"calendar|{name}"))
    for shift in shifts:
        calendar.add_component(_event(tr, shift, stamp))
    # The zone definition only has to cover the events; whole years keep it readable.
    first = min(s.start for s in shifts).astimezone(tr.tz)
    last = max(s.end for s in shifts).astimezone(tr.tz)
    calendar.add_missing_timezones(date(first.year, 1, 1), date(last.year + 1, 1, 1))
    # icalendar notes the covered years in an English COMMENT; a coach may see it in their
    # calendar app, and it says nothing they need.
    for zone in calendar.walk("VTIMEZONE"):
        zone.pop("COMMENT", None)
    return calendar


def to_ics(tr: Translator, shifts: Iterable[Shift], *, name: str, stamp: datetime) -> bytes:
    ical: bytes = build_calendar(tr, shifts, name=name, stamp=stamp).to_ical()
    return ical
