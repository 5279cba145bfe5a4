"""/rota through the Bot API stand-in: a lead changes a rotation in chat, sees the coming two
weeks first, and the change is in force at once for /roster and /now (no restart)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.config.team import TeamConfig
from bot.models import AuditEvent, Role, RotationMember
from tests.e2e.harness import buttons
from tests.e2e.team_setup import week_duties


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate({"duties": week_duties()})


def day_of(roster_text: str, heading: str) -> str:
    return next(part for part in roster_text.split("\n\n") if part.startswith(heading))


async def test_a_lead_adds_a_coach_to_piket_and_the_roster_shows_them_tomorrow(
    member, sessionmaker, clock
):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD, language="en")
    fleur = await member("Fleur Visser")
    # At start the team config's rotations were copied into the database.
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(RotationMember)) == 5
        imported = await session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "rota.import")
        )
    assert imported == "rotations copied from the team config"
    for name in ("Anna de Vries", "Bram Jansen", "Cem Yilmaz"):
        await member(name)
    before = await fleur.ask("/roster")
    assert day_of(before, "dinsdag 24 november").endswith("Piket 17:00–08:30: Cem Yilmaz")

    await sara.say("/rota add piket Fleur 2")
    preview = await sara.reply()
    lines = preview["text"].splitlines()
    assert lines[0] == "On call (piket): add Fleur Visser at position 2."
    assert lines[2] == "The coming two weeks with this change:"
    assert "• Tue 24 Nov 17:00 – Wed 25 Nov 08:30: Fleur Visser (now: Cem Yilmaz)" in lines
    assert set(buttons(preview)) == {"Confirm", "Cancel"}
    # Only previewed: nothing is in force yet.
    assert day_of(await fleur.ask("/roster"), "dinsdag 24 november").endswith("Cem Yilmaz")

    await sara.press(preview, buttons(preview)["Confirm"])
    confirmed = await sara.reply()
    assert confirmed["message_id"] == preview["message_id"]
    assert confirmed["text"] == "In force now: On call (piket): add Fleur Visser at position 2."

    tuesday = day_of(await fleur.ask("/roster"), "dinsdag 24 november")
    assert tuesday == (
        "dinsdag 24 november\n"
        "  Bureaudienst 08:30–17:00: Eva Mulder\n"
        "  Piket 17:00–08:30: Fleur Visser"
    )
    overview = await sara.ask("/rota")
    assert "  1. Anna de Vries\n  2. Fleur Visser\n  3. Bram Jansen\n  4. Cem Yilmaz" in overview
    async with sessionmaker() as session:
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "rota.change"))
    assert audit is not None and audit.detail == "add piket Fleur Visser at 2"

    clock.set(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))
    now = await fleur.ask("/now")
    assert "Piket: Fleur Visser" in now, now
    assert "• di 24 nov 17:00 – wo 25 nov 08:30: Piket" in await fleur.ask("/myshifts")


async def test_cancel_and_a_stale_preview_change_nothing(member):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD, language="en")
    await member("Dirk Smit")
    await member("Eva Mulder")
    await sara.say("/rota shift bureaudienst day")
    first = await sara.reply()
    await sara.press(first, buttons(first)["Cancel"])
    assert (await sara.reply())["text"] == "Cancelled; the rotation stays as it was."

    await sara.say("/rota remove bureaudienst Dirk")
    older = await sara.reply()
    await sara.say("/rota move bureaudienst Eva 1")
    newer = await sara.reply()
    await sara.press(newer, buttons(newer)["Confirm"])
    assert (await sara.reply())["text"].startswith("In force now:")
    await sara.press(older, buttons(older)["Confirm"])
    assert (await sara.reply())["text"].startswith(
        "The rotation was changed by someone else since this preview"
    )
    assert "  1. Eva Mulder\n  2. Dirk Smit" in await sara.ask("/rota")


async def test_rota_refusals_and_coaches_cannot_use_it(member):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD, language="en")
    anna = await member("Anna de Vries", language="en")
    assert await sara.ask("/rota add piket Zoë") == (
        "I don't know an active team member called 'Zoë'."
    )
    assert await sara.ask("/rota add piket Anna") == (
        "Anna de Vries is already in this rotation; use move to change their place."
    )
    assert await sara.ask("/rota handover piket 25:00") == (
        "'25:00' is not a time; use HH:MM such as 17:00, or default."
    )
    assert "/rota" not in await anna.ask("/rota")


async def test_a_part_time_coachs_free_day_goes_to_the_next_member(member):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD, language="en")
    eva = await member("Eva Mulder")
    await member("Dirk Smit")
    friday_before = day_of(await eva.ask("/roster"), "vrijdag 27 november")
    assert "Bureaudienst 08:30–17:00: Eva Mulder" in friday_before
    assert await sara.ask("/rota workdays Eva mon-thu") == (
        "Eva Mulder works on: Mon, Tue, Wed, Thu. Office-hours duties on other days go to the "
        "next member of the rotation."
    )
    week = await eva.ask("/roster")
    assert "Bureaudienst 08:30–17:00: Dirk Smit" in day_of(week, "vrijdag 27 november")
    assert "Bureaudienst 08:30–17:00: Eva Mulder" in day_of(week, "donderdag 26 november")
    assert "(Mon, Tue, Wed, Thu)" in await sara.ask("/rota")
    assert (await sara.ask("/rota workdays Eva Mulder ma, di, do")).startswith(
        "Eva Mulder works on: Mon, Tue, Thu."
    )


async def test_a_coach_sets_their_own_workdays_with_profile(member):
    eva = await member("Eva Mulder", language="en")
    await member("Dirk Smit")
    assert "\nWorkdays: every day (change with /profile workdays mon-thu, or all)\n" in (
        await eva.ask("/profile")
    )
    assert await eva.ask("/profile workdays tue-fri") == (
        "Saved: you work on Tue, Wed, Thu, Fri. Office-hours duties on other days go to a "
        "colleague."
    )
    monday = day_of(await eva.ask("/roster"), "Monday 23 November")
    assert "Bureaudienst 08:30–17:00: Dirk Smit" in monday
    assert (await eva.ask("/profile workdays someday")).startswith("I can't read 'someday'")
    assert await eva.ask("/profile workdays") == (
        "Workdays: Tue, Wed, Thu, Fri (change with /profile workdays mon-thu, or all)"
    )
    # Phone and e-mail still work beside it.
    assert (await eva.ask("/profile phone 06 12345678")).startswith("Saved.")


async def test_handover_and_start_changes_are_previewed_in_local_time(member):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD, language="en")
    for name in ("Anna de Vries", "Bram Jansen", "Cem Yilmaz"):
        await member(name)
    await sara.say("/rota handover piket 18:00")
    preview = await sara.reply()
    lines = preview["text"].splitlines()
    assert lines[0] == "On call (piket): hand over at 18:00."
    # Piket still begins when the office closes; the turn now changes hands at 18:00.
    assert "• Tue 24 Nov 17:00–18:00: Bram Jansen (now: Cem Yilmaz)" in lines
    await sara.press(preview, buttons(preview)["Confirm"])
    await sara.reply()
    assert "handover 18:00" in await sara.ask("/rota")

    await sara.say("/rota start piket 24-11")
    preview = await sara.reply()
    assert (
        preview["text"].splitlines()[0]
        == "On call (piket): the rotation starts on Tue 24 Nov 2026."
    )
