"""The live roster as feeds: the answering service's (every duty, gaps marked, with phone
numbers) and a coach's own shifts. Computed from the database on every request, so a swap,
override or absence shows the moment it is stored. No HTTP here (bot/operations/feeds.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.i18n import Translator
from bot.models import Coach
from bot.services import csv_export
from bot.services.rosters.core import Shift
from bot.services.rosters.ics import PRODID, Export, build_calendar, load_export
from bot.services.rosters.store import member_key
from bot.services.team import phones as phone_numbers
from bot.texts.roster import duty_name, holder_text

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
CSV_HEADER = ("duty", "start", "end", "name", "phone")
# Local wall time, as a spreadsheet with Dutch settings reads a date and time.
CSV_TIME = "yyyy-MM-dd HH:mm"
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only with it


async def roster(session: AsyncSession, config: TeamConfig, now: datetime) -> Export:
    return await load_export(session, config, now, config.feeds.weeks)


async def own_shifts(
    session: AsyncSession, config: TeamConfig, now: datetime, coach: Coach
) -> list[Shift]:
    export = await load_export(session, config, now, config.feeds.weeks)
    mine = member_key(coach.name)
    return [s for s in export.shifts if s.holder is not None and member_key(s.holder) == mine]


async def phones_of(session: AsyncSession, shifts: list[Shift]) -> dict[str, str]:
    """Holder name (as the rotation spells it) → phone number, for active members."""
    names = {member_key(s.holder): s.holder for s in shifts if s.holder}
    coaches = await session.scalars(select(Coach).where(Coach.active.is_(True)))
    return {
        names[member_key(c.name)]: c.phone
        for c in coaches
        if c.phone and member_key(c.name) in names
    }


def to_csv(tr: Translator, shifts: list[Shift], numbers: Mapping[str, str]) -> bytes:
    """duty;start;end;name;phone, UTF-8 with a byte-order mark: opens as is in a
    spreadsheet with Dutch settings. A gap's name says nobody holds it (and why)."""
    rows = [
        (
            duty_name(tr, s.duty),
            tr.datetime(s.start, CSV_TIME),
            tr.datetime(s.end, CSV_TIME),
            holder_text(tr, s),
            phone_numbers.for_sheet(numbers[s.holder])
            if s.holder is not None and s.holder in numbers
            else "",
        )
        for s in shifts
    ]
    text, _ = csv_export.to_csv(CSV_HEADER, rows, delimiter=";")
    return (BOM + text).encode("utf-8")


def to_ics(
    tr: Translator,
    shifts: list[Shift],
    numbers: Mapping[str, str],
    *,
    name: str,
    stamp: datetime,
) -> bytes:
    """Events as in the exported file (same UIDs), each with the holder's number; a feed
    with no shifts is an empty calendar, not an error: the subscriber keeps polling."""
    if not shifts:
        empty: bytes = Calendar.new(prodid=PRODID, name=name).to_ical()
        return empty
    calendar = build_calendar(tr, shifts, name=name, stamp=stamp)
    for event, shift in zip(calendar.walk("VEVENT"), shifts, strict=True):
        number = numbers.get(shift.holder) if shift.holder else None
        if number:
            event.add("description", tr._("Phone: %(phone)s", phone=number))
    ical: bytes = calendar.to_ical()
    return ical
