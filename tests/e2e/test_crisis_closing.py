"""Closing crisis alerts through the Bot API stand-in: /crisis step by step, /resolve with an
outcome and a note, the own coach's summary (at night: the next morning), the taker's
reminder and /alerts."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import (
    AbsenceKind,
    AbsenceRecord,
    Alert,
    AlertStatus,
    AuditEvent,
)
from bot.scheduling.jobs import run_alert_tick
from tests.e2e.conftest import coach_named
from tests.e2e.harness import buttons
from tests.e2e.team_setup import crisis_config, crisis_team

EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # Monday 20:00 in Amsterdam: Bram's piket


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config(resolve_reminder_after="2h")


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker):
    return await crisis_team(member, sessionmaker)


async def _anna_is_sick(sessionmaker, clock) -> None:
    """In office hours her alerts then go to Eva (bureaudienst), who is not the own coach."""
    anna = await coach_named(sessionmaker, "Anna de Vries")
    async with sessionmaker() as session:
        session.add(
            AbsenceRecord(
                coach_id=anna.id, kind=AbsenceKind.SICK, start=clock.now(), created_at=clock.now()
            )
        )
        await session.commit()


async def _take(person) -> dict:
    card = await person.reply()
    assert card["text"].startswith("🚨 CRISISMELDING")
    await person.press(card, buttons(card)["Ik pak het op"])
    await person.reply()  # the card now says who took it
    return card


async def _resolve(person, outcome: str, note: str) -> str:
    await person.say("/resolve")
    question = await person.reply()
    await person.press(question, buttons(question)[outcome])
    asked = await person.reply()
    assert asked["message_id"] == question["message_id"]
    assert "notitie van één regel" in asked["text"]
    return await person.ask(note)


async def test_crisis_step_by_step_asks_for_code_then_text(team):
    partner, anna = team["Wijkteam"], team["Anna"]
    assert (await partner.ask("/crisis")).startswith("Om welk gezin gaat het? Stuur de casuscode")
    assert await partner.ask("geen code!") == (
        "'geen code!' is geen casuscode: letters, cijfers en streepjes, bijvoorbeeld GZ-0000. "
        "Stuur de code opnieuw, of /cancel."
    )
    assert await partner.ask("GZ-1042") == (
        "Wat is er aan de hand bij GZ-1042? Stuur het in één kort bericht. /cancel stopt."
    )
    await anna.expect_nothing_more()
    assert (await partner.ask("moeder belt, vader dreigt")).startswith(
        "Je crisismelding GZ-1042 is opgeslagen"
    )
    card = await anna.reply()
    assert card["text"].startswith("🚨 CRISISMELDING GZ-1042\nmoeder belt, vader dreigt\n")


async def test_crisis_with_only_a_code_asks_for_the_text_and_cancel_stops(team):
    partner = team["Wijkteam"]
    assert (await partner.ask("/crisis GZ-1042")).endswith(
        "wat er aan de hand is bij GZ-1042. /cancel stopt."
    )
    assert await partner.ask("/cancel") == "Gestopt. Er is geen crisismelding verstuurd."
    # The conversation is over: text is not taken as an alert any more.
    assert (await partner.ask("moeder belt")).startswith("Dat begreep ik niet")
    assert await partner.ask("/cancel") == "Er is niets om te stoppen."
    for name in ("Anna", "Eva", "Bram"):
        await team[name].expect_nothing_more()


async def test_resolve_in_office_hours_tells_the_own_coach_at_once(team, sessionmaker, clock):
    await _anna_is_sick(sessionmaker, clock)
    eva, anna = team["Eva"], team["Anna"]
    await team["Bram"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    await _take(eva)
    await team["Bram"].reply()  # "Eva Mulder heeft je crisismelding ... opgepakt"

    clock.advance(timedelta(minutes=40))
    await eva.say("/resolve")
    question = await eva.reply()
    assert question["text"] == "Hoe is crisismelding GZ-1042 afgelopen?"
    assert list(buttons(question)) == [
        "Telefonisch afgehandeld",
        "Huisbezoek",
        "Politie ingeschakeld",
        "Veilig Thuis of crisisdienst ingeschakeld",
        "Anders",
    ]
    await eva.press(question, buttons(question)["Huisbezoek"])
    asked = await eva.reply()
    assert asked["text"] == (
        "GZ-1042: Huisbezoek.\nStuur nu een notitie van één regel over wat er gebeurde "
        "(hoogstens 300 tekens). /cancel stopt."
    )
    assert not buttons(asked)
    assert await eva.ask("x" * 301) == (
        "Die notitie is 301 tekens; er passen er hoogstens 300. Stuur een kortere."
    )
    assert await eva.ask("Vader vertrokken, moeder en kinderen veilig bij oma.") == (
        "Crisismelding GZ-1042 is afgesloten: Huisbezoek. Dank je."
    )
    summary = await anna.reply()
    assert summary["text"] == (
        "Crisismelding GZ-1042 voor jouw gezin is afgesloten.\n"
        "Gemeld op ma 23 nov 09:00: moeder belt, vader dreigt\n"
        "Afgehandeld door Eva Mulder, afgesloten op ma 23 nov 09:40.\n"
        "Uitkomst: Huisbezoek\n"
        "Notitie: Vader vertrokken, moeder en kinderen veilig bij oma.\n\n"
        "Wil je vandaag contact opnemen met het gezin?"
    )
    async with sessionmaker() as session:
        alert = await session.scalar(select(Alert))
        assert alert.status == AlertStatus.RESOLVED
        assert (alert.outcome, alert.resolved_at) == ("home_visit", clock.now())
        event = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "alert.resolved")
        )
        assert (event.outcome, event.subject) == ("home_visit", "GZ-1042")
    # Resolved once: nothing left to resolve, and no reminder later.
    assert await eva.ask("/resolve") == (
        "Je hebt geen crisismelding opgepakt die nog niet is afgesloten."
    )


async def test_at_night_the_summary_waits_for_the_next_office_morning(team, clock, bot_app):
    clock.set(EVENING)
    bram, anna = team["Bram"], team["Anna"]
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    await _take(bram)
    clock.advance(timedelta(minutes=25))
    assert await _resolve(bram, "Politie ingeschakeld", "Politie heeft vader meegenomen.") == (
        "Crisismelding GZ-1042 is afgesloten: Politie ingeschakeld. Dank je."
    )
    await anna.expect_nothing_more()

    clock.set(datetime(2026, 11, 24, 7, 29, tzinfo=UTC))  # Tuesday 08:29 in Amsterdam
    await run_alert_tick(bot_app)
    await anna.expect_nothing_more()
    clock.advance(timedelta(minutes=1))
    await run_alert_tick(bot_app)
    summary = await anna.reply()
    assert summary["text"].startswith("Crisismelding GZ-1042 voor jouw gezin is afgesloten.\n")
    assert "Afgehandeld door Bram Jansen, afgesloten op ma 23 nov 20:25." in summary["text"]
    assert (
        "Uitkomst: Politie ingeschakeld\nNotitie: Politie heeft vader meegenomen."
        in (summary["text"])
    )
    await bram.expect_nothing_more()  # resolved in time: no reminder


async def test_the_own_coach_who_resolves_gets_no_summary(team):
    anna = team["Anna"]
    await team["Wijkteam"].ask("/crisis GZ-1042 moeder belt")
    await _take(anna)
    await team["Wijkteam"].reply()
    assert (await _resolve(anna, "Telefonisch afgehandeld", "Rustig na gesprek.")).startswith(
        "Crisismelding GZ-1042 is afgesloten"
    )
    await anna.expect_nothing_more()


async def test_a_taken_alert_not_resolved_in_time_reminds_the_taker(team, clock, bot_app):
    clock.set(EVENING)
    bram = team["Bram"]
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    await _take(bram)
    clock.advance(timedelta(hours=2) - timedelta(seconds=1))
    await run_alert_tick(bot_app)
    await bram.expect_nothing_more()
    clock.advance(timedelta(seconds=2))
    await run_alert_tick(bot_app)
    assert (await bram.reply())["text"] == (
        "Je hebt crisismelding GZ-1042 op ma 23 nov 20:00 opgepakt en hij is nog niet "
        "afgesloten. Stuur /resolve als hij is afgehandeld en vertel hoe het afliep."
    )
    clock.advance(timedelta(hours=2))
    await run_alert_tick(bot_app)
    await bram.expect_nothing_more()  # one reminder only


async def test_alerts_lists_what_is_running_and_resolve_picks_between_two(
    team, sessionmaker, clock
):
    await _anna_is_sick(sessionmaker, clock)
    eva, bram = team["Eva"], team["Bram"]
    assert await bram.ask("/alerts") == "Er zijn geen crisismeldingen open of nog af te sluiten."
    await bram.ask("/crisis GZ-1042 moeder belt, vader dreigt")
    await _take(eva)
    await bram.reply()
    clock.advance(timedelta(minutes=5))
    await bram.ask("/crisis NIEUW-7 buurvrouw hoort geschreeuw")
    await _take(eva)
    await bram.reply()
    clock.advance(timedelta(minutes=5))
    await team["Wijkteam"].ask("/crisis GZ-2001 school belt")
    await eva.reply()  # not taken (yet)

    listing = await bram.ask("/alerts")
    assert listing == (
        "Crisismeldingen die nog lopen, nieuwste eerst:\n"
        "GZ-2001 · ma 23 nov 09:10 · open, nog niemand heeft hem opgepakt: "
        "stap 1 van 4 (eerste in de rij), ronde 1\n"
        "NIEUW-7 · ma 23 nov 09:05 · opgepakt door Eva Mulder, nog niet afgesloten\n"
        "GZ-1042 · ma 23 nov 09:00 · opgepakt door Eva Mulder, nog niet afgesloten"
    )
    assert "moeder" not in listing and "Veiligheid" not in listing  # no case card
    assert (await team["Sara"].ask("/alerts")) == listing
    assert (await team["Wijkteam"].ask("/alerts")) == (
        "Dat commando is niet beschikbaar voor jouw rol."
    )

    await eva.say("/resolve")
    pick = await eva.reply()
    assert pick["text"] == "Welke crisismelding wil je afsluiten?"
    assert list(buttons(pick)) == ["NIEUW-7 · ma 23 nov 09:05", "GZ-1042 · ma 23 nov 09:00"]
    await eva.press(pick, buttons(pick)["NIEUW-7 · ma 23 nov 09:05"])
    question = await eva.reply()
    assert question["text"] == "Hoe is crisismelding NIEUW-7 afgelopen?"
    await eva.press(question, buttons(question)["Anders"])
    await eva.reply()
    assert await eva.ask("Loos alarm, buren hadden ruzie.") == (
        "Crisismelding NIEUW-7 is afgesloten: Anders. Dank je."
    )
    assert "NIEUW-7" not in await bram.ask("/alerts")
