"""Contact details of team members: /profile, and the numbers where someone must call a
colleague (a crisis alert's card, /now in a private chat, a family's card)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import AuditEvent, Case, Coach
from tests.e2e.case_setup import add_cover
from tests.e2e.team_setup import crisis_config, crisis_team

EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # Monday 20:00 in Amsterdam: Bram's piket


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config().model_copy(update={"team_chat_id": -100777})


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker):
    return await crisis_team(member, sessionmaker)


async def test_a_member_sets_their_own_number_and_address(team, sessionmaker):
    anna = team["Anna"]
    assert await anna.ask("/profile") == (
        "👤 Anna de Vries\n"
        "Telefoon: niet ingevuld\n"
        "E-mail: niet ingevuld\n"
        "Werkdagen: elke dag (wijzig met /profile werkdagen ma-do, of alle)\n\n"
        "Collega's zien deze waar ze je moeten kunnen bellen: bij een crisismelding, in /now "
        "en op de kaart van een gezin.\n"
        "Wijzig ze met /profile phone 06 12345678 of /profile email naam@voorbeeld.nl; "
        "verwijder er een met /profile phone -."
    )
    saved = await anna.ask("/profile phone 06-12345678")
    assert saved.startswith("Opgeslagen.\n\n👤 Anna de Vries\nTelefoon: +31612345678\n")
    saved = await anna.ask("/profile email Anna.de.Vries@Almelo.NL")
    assert "E-mail: Anna.de.Vries@almelo.nl\n" in saved
    assert await anna.ask("/profile phone bel me") == (
        "Dat is geen telefoonnummer. Schrijf het als 06 12345678 of +31 6 12345678."
    )
    assert await anna.ask("/profile email anna@") == (
        "Dat is geen e-mailadres. Schrijf het als naam@voorbeeld.nl."
    )
    cleared = await anna.ask("/profile phone -")
    assert "Telefoon: niet ingevuld\nE-mail: Anna.de.Vries@almelo.nl\n" in cleared
    async with sessionmaker() as session:
        coach = await session.scalar(select(Coach).where(Coach.name == "Anna de Vries"))
        events = list(await session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert (coach.phone, coach.email) == (None, "Anna.de.Vries@almelo.nl")
    # Audited that it changed, never what it became.
    assert [e.action for e in events if e.action.startswith("profile.")] == [
        "profile.phone",
        "profile.email",
        "profile.phone",
    ]
    assert all("12345678" not in (e.detail or "") for e in events)


async def test_the_alert_card_shows_whom_to_call(team, clock):
    clock.set(EVENING)
    await team["Eva"].say("/profile phone 06 11112222")
    await team["Eva"].reply()
    await team["Anna"].say("/profile phone 0546 123456")
    await team["Anna"].reply()
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    card = (await team["Bram"].reply())["text"]
    assert card.splitlines()[2:6] == [
        "Gemeld door Eva Mulder · 📞 +31611112222 op ma 23 nov 20:00.",
        "",
        "Coach: Anna de Vries · 📞 +31546123456",
        "Back-up: Bram Jansen",
    ]


async def test_now_gives_the_number_in_private_but_not_in_the_group(team, standin, clock):
    clock.set(EVENING)
    bram = team["Bram"]
    await bram.ask("/profile phone 06 33334444")
    lines = (await team["Anna"].ask("/now")).splitlines()
    assert "Piket: Bram Jansen · 📞 +31633334444, tot di 24 nov 08:30." in lines[2]
    group = standin.add_group(-100777, "Team")["id"]
    await team["Anna"].say("/now", chat_id=group)
    assert "+316" not in (await team["Anna"].reply(group))["text"]


async def test_a_familys_card_gives_the_coachs_number(team):
    await team["Anna"].ask("/profile phone 06 55556666")
    card = await team["Eva"].ask("/case GZ-1042")
    assert "Coach: Anna de Vries (via mij bereikbaar) · 📞 +31655556666" in card


async def test_the_covering_coach_is_shown_with_their_number(team, sessionmaker):
    assert (await team["Eva"].ask("/profile phone 06 44445555")).startswith("Opgeslagen.")
    async with sessionmaker() as session:
        case = await session.scalar(select(Case).where(Case.code == "GZ-1042"))
    await add_cover(sessionmaker, case, "Eva Mulder")
    card = await team["Fleur"].ask("/case GZ-1042")
    assert (
        "Waarnemer tijdens afwezigheid: Eva Mulder (via mij bereikbaar) · 📞 +31644445555" in card
    )
