"""/calendar: a coach gets their own coming shifts as an .ics file, overrides and clock changes
included, and a plain answer when there is nothing to put in it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.config.team import TeamConfig
from bot.models import OverrideKind, RosterOverride
from tests.e2e.conftest import coach_named
from tests.e2e.team_setup import week_duties

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate({"duties": week_duties()})


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


async def give(sessionmaker, clock, name: str, duty: str, start: datetime, end: datetime) -> None:
    coach = await coach_named(sessionmaker, name)
    async with sessionmaker() as session:
        session.add(
            RosterOverride(
                duty=duty,
                coach_id=coach.id,
                start=start.astimezone(UTC),
                end=end.astimezone(UTC),
                kind=OverrideKind.OVERRIDE,
                created_at=clock.now(),
            )
        )
        await session.commit()


async def calendar_of(person) -> tuple[dict, Calendar]:
    await person.say("/calendar")
    message = await person.reply()
    (document,) = person.standin.documents(person.user_id)
    return message, Calendar.from_ical(document["content"])


async def test_own_shifts_for_eight_weeks_with_an_override(member, sessionmaker, clock):
    anna = await member("Anna de Vries")
    await member("Bram Jansen")
    # The team lead put Anna on Tuesday's bureaudienst; the rotation gives her every third
    # evening of piket. Bram's shifts are his own business.
    await give(
        sessionmaker, clock, "Anna de Vries", "bureaudienst",
        local(2026, 11, 24, 8, 30), local(2026, 11, 24, 17, 0),
    )  # fmt: skip
    message, calendar = await calendar_of(anna)

    assert message["caption"] == (
        "19 diensten, di 24 nov 08:30 – za 16 jan 17:00. "
        "Open het bestand om ze aan je agenda toe te voegen."
    )
    assert message["document"]["file_name"] == "achtervang.ics"
    assert message["document"]["mime_type"] == "text/calendar"
    events = calendar.events
    assert [(str(e["SUMMARY"]), e.start, e.end) for e in events[:3]] == [
        ("Bureaudienst: Anna de Vries", local(2026, 11, 24, 8, 30), local(2026, 11, 24, 17, 0)),
        ("Piket: Anna de Vries", local(2026, 11, 25, 17, 0), local(2026, 11, 26, 8, 30)),
        # A weekend day runs from handover to handover.
        ("Piket: Anna de Vries", local(2026, 11, 28, 17, 0), local(2026, 11, 29, 17, 0)),
    ]
    assert all(str(e["SUMMARY"]).endswith(": Anna de Vries") for e in events)
    assert all(e["DTSTART"].params["TZID"] == "Europe/Amsterdam" for e in events)
    assert calendar.timezones[0].tz_name == "Europe/Amsterdam"


async def test_in_english_over_the_night_the_clocks_go_back(member, sessionmaker, clock):
    anna = await member("Anna de Vries", language="en")
    clock.set(local(2026, 10, 20, 12, 0))
    # Anna takes Saturday's piket from Cem: 17:00 to 17:00 local, 25 hours.
    await give(
        sessionmaker, clock, "Anna de Vries", "piket",
        local(2026, 10, 24, 17, 0), local(2026, 10, 25, 17, 0),
    )  # fmt: skip
    message, calendar = await calendar_of(anna)

    assert message["caption"] == (
        "20 shifts, Tue 20 Oct 17:00 – Mon 14 Dec 08:30. "
        "Open the file to add them to your calendar."
    )
    # Her own Friday night and then Cem's Saturday: an override is a shift of its own.
    assert [e.start for e in calendar.events[1:3]] == [
        local(2026, 10, 23, 17, 0),
        local(2026, 10, 24, 17, 0),
    ]
    night = calendar.events[2]
    assert str(night["SUMMARY"]) == "On call (piket): Anna de Vries"
    assert (night.start, night.end) == (local(2026, 10, 24, 17, 0), local(2026, 10, 25, 17, 0))
    assert b"DTEND;TZID=Europe/Amsterdam:20261025T170000" in calendar.to_ical()


async def test_no_shifts_no_file(member, standin):
    hanna = await member("Hanna Bakker", language="en")
    assert await hanna.ask("/calendar") == (
        "You have no shifts in the coming 8 weeks, so there is no calendar file."
    )
    assert standin.documents(hanna.user_id) == []
    fleur = await member("Fleur Visser")
    assert await fleur.ask("/calendar") == (
        "Je hebt de komende 8 weken geen diensten, dus er is geen agendabestand."
    )
