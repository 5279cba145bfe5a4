"""/roster, /myshifts and /override through the Bot API stand-in."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.config.team import TeamConfig
from bot.models import AbsenceKind, AbsenceRecord, Role, RosterOverride
from bot.services.team.coaches import find_by_name
from tests.e2e.harness import buttons
from tests.e2e.team_setup import week_duties


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate({"duties": week_duties()})


async def overrides(sessionmaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(RosterOverride))


async def test_this_weeks_roster_and_paging(member):
    anna = await member("Anna de Vries")
    text = await anna.ask("/roster")
    assert text.startswith("Rooster week 48 (ma 23 nov – zo 29 nov 2026)\n\nmaandag 23 november\n")
    monday = text.split("\n\n")[1]
    assert monday == (
        "maandag 23 november\n"
        "  Piket zo 22 nov 17:00 – 08:30: Anna de Vries\n"
        "  Bureaudienst 08:30–17:00: Eva Mulder\n"
        "  Piket 17:00–08:30: Bram Jansen"
    )
    saturday = text.split("\n\n")[6]
    assert saturday == "zaterdag 28 november\n  Piket 17:00 – zo 29 nov 17:00: Anna de Vries"

    await anna.say("/roster")
    shown = await anna.reply()
    await anna.press(shown, buttons(shown)["week 49 ▶"])
    paged = await anna.reply()
    assert paged["message_id"] == shown["message_id"]
    assert paged["text"].startswith("Rooster week 49 (ma 30 nov – zo 6 dec 2026)")
    assert "  Bureaudienst 08:30–17:00: Dirk Smit" in paged["text"]


async def test_christmas_and_the_night_the_clocks_go_back(member):
    anna = await member("Anna de Vries", language="en")
    christmas = await anna.ask("/roster 52")
    thursday, friday = christmas.split("\n\n")[4:6]
    # Christmas Day is a public holiday: no bureaudienst, so Cem's piket lasts into Friday.
    assert thursday == (
        "Thursday 24 December\n"
        "  Bureaudienst 08:30–17:00: Eva Mulder\n"
        "  On call (piket) 17:00 – Fri 25 Dec 17:00: Cem Yilmaz"
    )
    assert friday == "Friday 25 December\n  On call (piket) 17:00 – Sat 26 Dec 17:00: Anna de Vries"
    # Week 43 ends on the Sunday the clocks go back: handovers stay at 17:00 local time.
    october = await anna.ask("/roster 2026-W43")
    saturday, sunday = october.split("\n\n")[6:8]
    assert (
        saturday == "Saturday 24 October\n  On call (piket) 17:00 – Sun 25 Oct 17:00: Bram Jansen"
    )
    assert sunday == "Sunday 25 October\n  On call (piket) 17:00–08:30: Cem Yilmaz"


async def test_unknown_week_changes_nothing(member):
    anna = await member("Anna de Vries")
    assert await anna.ask("/roster 54") == (
        "Ik weet niet welke week '54' is. Geef een weeknummer (1–53), 'volgende' of een datum, "
        "bijvoorbeeld /roster 49 of /roster 30-11."
    )


async def test_my_shifts(member):
    bram = await member("Bram Jansen")
    text = await bram.ask("/myshifts")
    lines = text.splitlines()
    assert lines[0] == "Je diensten in de komende vier weken:"
    assert lines[1] == "• ma 23 nov 17:00 – di 24 nov 08:30: Piket"
    assert lines[2] == "• do 26 nov 17:00 – vr 27 nov 08:30: Piket"
    eva = await member("Eva Mulder")
    assert (await eva.ask("/myshifts")).splitlines()[1] == "• ma 23 nov 08:30–17:00: Bureaudienst"
    sara = await member("Sara Bakker", role=Role.TEAMLEAD)
    assert await sara.ask("/myshifts") == "Je hebt de komende vier weken geen diensten."


async def test_team_lead_overrides_a_night_and_both_coaches_are_told(member, sessionmaker):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD)
    bram = await member("Bram Jansen")
    cem = await member("Cem Yilmaz", language="en")
    assert await sara.ask("/override piket vandaag Cem") == (
        "Gedaan: Piket ma 23 nov 17:00 – di 24 nov 08:30 is nu van Cem Yilmaz (was: Bram Jansen)."
    )
    assert (await cem.reply())["text"] == (
        "Sara Bakker has given you On call (piket) Mon 23 Nov 17:00 – Tue 24 Nov 08:30."
    )
    assert (await bram.reply())["text"] == (
        "Sara Bakker heeft je Piket ma 23 nov 17:00 – di 24 nov 08:30 aan Cem Yilmaz gegeven."
    )
    assert "Piket: nu geen dienst. Daarna: Cem Yilmaz vanaf ma 23 nov 17:00." in await bram.ask(
        "/now"
    )
    assert "• ma 23 nov 17:00" not in await bram.ask("/myshifts")


async def test_override_refusals_change_nothing(member, sessionmaker, clock):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD)
    bram = await member("Bram Jansen")
    assert await sara.ask("/override piket vandaag Zoë") == (
        "Ik ken geen actief teamlid met de naam 'Zoë'."
    )
    assert await sara.ask("/override bureaudienst 28-11 Bram") == (
        "Die dienst bestaat op dat moment niet; er is niets veranderd."
    )
    assert await sara.ask("/override piket 20-11-2026 Bram") == (
        "Die dienst is al voorbij; er is niets veranderd."
    )
    assert (await sara.ask("/override piket")).startswith("Gebruik: /override <dienst> <dag>")
    assert (await sara.ask("/override nachtdienst morgen Bram")).startswith(
        "'nachtdienst' is geen dienst."
    )
    async with sessionmaker() as session:
        coach = await find_by_name(session, "Bram Jansen")
        session.add(
            AbsenceRecord(
                coach_id=coach.id,
                kind=AbsenceKind.LEAVE,
                start=datetime(2026, 11, 24, tzinfo=UTC),
                end=datetime(2026, 12, 1, tzinfo=UTC),
                created_at=clock.now(),
            )
        )
        await session.commit()
    assert await sara.ask("/override piket 25-11 Bram") == (
        "Bram Jansen is dan afwezig; er is niets veranderd."
    )
    assert await overrides(sessionmaker) == 0
    await bram.expect_nothing_more()
    assert await bram.ask("/override piket morgen Bram") == (
        "Dat commando is niet beschikbaar voor jouw rol."
    )
