"""The roster as an .ics file: what a calendar app shows after importing it (local wall times
over clock changes, translated summaries, gaps) and that a newer export updates, not doubles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.config.team import TeamConfig
from bot.i18n import translator
from bot.services.rosters.core import Absence, Override
from bot.services.rosters.ics import PRODID, export_span, shifts_overlapping, to_ics
from bot.services.rosters.store import RosterState

AMS = ZoneInfo("Europe/Amsterdam")
# Piket by the day (17:00 handover): Anna on 24 October and 28 March, Bram the day after.
TEAM = TeamConfig.model_validate(
    {
        "duties": {
            "bureaudienst": {"members": ["Dirk", "Eva"], "shift": "week", "start": "2026-01-05"},
            "piket": {"members": ["Anna", "Bram", "Cem"], "shift": "day", "start": "2026-03-01"},
        }
    }
)
NL = translator("nl", TEAM.tz)
EN = translator("en", TEAM.tz)
STAMP = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def export(
    start: datetime,
    end: datetime,
    *,
    tr=NL,
    overrides: list[Override] | None = None,
    absences: list[Absence] | None = None,
) -> Calendar:
    state = RosterState(TEAM, overrides or [], absences or [])
    shifts = shifts_overlapping(state, start.astimezone(UTC), end.astimezone(UTC))
    return Calendar.from_ical(to_ics(tr, shifts, name="Rooster", stamp=STAMP))


def hours(event) -> float:
    # Subtracting two datetimes in the same zone gives wall-clock time; the real length is UTC.
    return (event.end.astimezone(UTC) - event.start.astimezone(UTC)) / timedelta(hours=1)


def piket(calendar: Calendar) -> list[tuple[str, datetime, datetime]]:
    return [
        (str(e["SUMMARY"]), e.start, e.end)
        for e in calendar.events
        if "Piket" in str(e["SUMMARY"]) or "piket" in str(e["SUMMARY"])
    ]


def test_the_long_night_when_the_clocks_go_back_stays_17_to_17():
    calendar = export(local(2026, 10, 24, 12, 0), local(2026, 10, 25, 20, 0))
    assert piket(calendar) == [
        ("Piket: Cem", local(2026, 10, 23, 17, 0), local(2026, 10, 24, 17, 0)),
        ("Piket: Anna", local(2026, 10, 24, 17, 0), local(2026, 10, 25, 17, 0)),
        ("Piket: Bram", local(2026, 10, 25, 17, 0), local(2026, 10, 26, 8, 30)),
    ]
    anna = calendar.events[1]
    assert anna["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert anna["DTEND"].params["TZID"] == "Europe/Amsterdam"
    assert anna.start.utcoffset() == timedelta(hours=2)
    assert anna.end.utcoffset() == timedelta(hours=1)
    assert hours(anna) == 25
    assert b"DTSTART;TZID=Europe/Amsterdam:20261024T170000" in calendar.to_ical()


def test_the_short_night_when_the_clocks_go_forward_stays_17_to_17():
    calendar = export(local(2026, 3, 28, 18, 0), local(2026, 3, 29, 18, 0), tr=EN)
    assert piket(calendar) == [
        ("On call (piket): Anna", local(2026, 3, 28, 17, 0), local(2026, 3, 29, 17, 0)),
        ("On call (piket): Bram", local(2026, 3, 29, 17, 0), local(2026, 3, 30, 8, 30)),
    ]
    anna = calendar.events[0]
    assert hours(anna) == 23


def test_calendar_is_self_contained_rfc_5545():
    calendar = export(local(2026, 10, 19, 0, 0), local(2026, 10, 31, 0, 0))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == PRODID
    # Apps that do not know the zone by name read the VTIMEZONE: it must get both sides right.
    (zone,) = calendar.timezones
    assert zone.tz_name == "Europe/Amsterdam"
    tz = zone.to_tz(lookup_tzid=False)
    assert datetime(2026, 10, 24, 17, 0, tzinfo=tz).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 10, 25, 17, 0, tzinfo=tz).utcoffset() == timedelta(hours=1)
    # The Dutch file carries no English remark about the years the zone block covers.
    text = calendar.to_ical().decode()
    assert "COMMENT" not in text and "only works" not in text
    uids = [str(e["UID"]) for e in calendar.events]
    assert len(uids) == len(set(uids)) > 10
    assert all(e.DTSTAMP == STAMP for e in calendar.events)


def test_a_later_export_keeps_the_uids_and_the_first_shift_is_not_cut_at_now():
    monday_nine = local(2026, 11, 23, 9, 0)
    first = export(*export_span(monday_nine.astimezone(UTC), weeks=1))
    # Dirk's office day started at 08:30; the export made at 09:00 still shows 08:30.
    assert (first.events[0]["SUMMARY"], first.events[0].start) == (
        "Bureaudienst: Dirk",
        local(2026, 11, 23, 8, 30),
    )
    later = export(*export_span((monday_nine + timedelta(days=1, hours=3)).astimezone(UTC), 1))
    before = {(str(e["SUMMARY"]), e.start): str(e["UID"]) for e in first.events}
    after = {(str(e["SUMMARY"]), e.start): str(e["UID"]) for e in later.events}
    shared = before.keys() & after.keys()
    assert len(shared) > 10
    assert all(before[key] == after[key] for key in shared)


def test_a_gap_is_an_event_that_says_why_and_an_override_names_the_new_holder():
    absences = [Absence("Anna", local(2026, 10, 24, 0, 0), local(2026, 10, 26, 0, 0))]
    overrides = [Override("piket", "Eva", local(2026, 10, 25, 17, 0), local(2026, 10, 26, 8, 30))]
    for tr, gap, why, taken in [
        (NL, "GAT: Piket", "NIEMAND (Anna is afwezig)", "Piket: Eva"),
        (EN, "GAP: On call (piket)", "NOBODY (Anna is absent)", "On call (piket): Eva"),
    ]:
        calendar = export(
            local(2026, 10, 24, 12, 0),
            local(2026, 10, 25, 20, 0),
            tr=tr,
            absences=absences,
            overrides=overrides,
        )
        events = [e for e in calendar.events if e.start >= local(2026, 10, 24, 17, 0)]
        assert [(str(e["SUMMARY"]), e.start, e.end) for e in events] == [
            (gap, local(2026, 10, 24, 17, 0), local(2026, 10, 25, 17, 0)),
            (taken, local(2026, 10, 25, 17, 0), local(2026, 10, 26, 8, 30)),
        ]
        assert events[0]["DESCRIPTION"] == why
