"""Crisis alerts through the Bot API stand-in: routing, escalation, take and can't."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import AbsenceKind, AbsenceRecord, AuditEvent
from bot.scheduling.jobs import run_alert_tick
from tests.e2e.conftest import coach_named
from tests.e2e.harness import buttons
from tests.e2e.team_setup import crisis_config, crisis_team

EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # Monday 20:00 in Amsterdam: Bram's piket


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker):
    return await crisis_team(member, sessionmaker)


CARD = (
    "🚨 CRISISMELDING GZ-1042\n"
    "moeder belt, vader dreigt\n"
    "Gemeld door {reporter} op {when}.\n\n"
    "Coach: {coach}\n"
    "Back-up: Bram Jansen\n"
    "Veiligheid: veiligheidsplan\n"
    "Fase: uitvoering"
)


async def test_in_office_hours_the_own_coach_gets_it_and_the_partner_hears_who(team):
    partner, anna = team["Wijkteam"], team["Anna"]
    confirmation = await partner.ask("/crisis GZ-1042 moeder belt, vader dreigt")
    assert confirmation == (
        "Je crisismelding GZ-1042 is opgeslagen en onderweg naar de dienstdoende coach. "
        "Ik laat je weten wie hem oppakt."
    )
    alert = await anna.reply()
    assert alert["text"] == CARD.format(
        reporter="Wijkteam Noord", when="ma 23 nov 09:00", coach="Anna de Vries"
    )
    assert set(buttons(alert)) == {"Ik pak het op", "Kan niet"}

    await anna.press(alert, buttons(alert)["Ik pak het op"])
    edited = await anna.reply()
    assert edited["message_id"] == alert["message_id"]
    assert edited["text"].endswith("\n\n✅ Opgepakt door Anna de Vries op ma 23 nov 09:00.")
    assert not buttons(edited)
    told = await partner.reply()
    assert told["text"] == (
        "Anna de Vries heeft je crisismelding GZ-1042 opgepakt en gaat ermee aan de slag."
    )
    # The partner saw no case data at any point.
    for message in (confirmation, told["text"]):
        assert "Bram" not in message and "veiligheid" not in message.lower()
    await team["Bram"].expect_nothing_more()


async def test_absent_own_coach_in_office_hours_goes_to_bureaudienst(team, sessionmaker, clock):
    anna = await coach_named(sessionmaker, "Anna de Vries")
    async with sessionmaker() as session:
        session.add(
            AbsenceRecord(
                coach_id=anna.id, kind=AbsenceKind.SICK, start=clock.now(), created_at=clock.now()
            )
        )
        await session.commit()
    await team["Bram"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    alert = await team["Eva"].reply()
    assert alert["text"] == CARD.format(
        reporter="Bram Jansen", when="ma 23 nov 09:00", coach="Anna de Vries (afwezig)"
    )
    await team["Anna"].expect_nothing_more()


async def test_after_hours_nobody_answers_so_it_climbs_to_the_team_lead(team, clock, bot_app):
    clock.set(EVENING)
    eva, bram, fleur, sara = team["Eva"], team["Bram"], team["Fleur"], team["Sara"]
    await eva.ask("/crisis GZ-1042 moeder belt, vader dreigt")
    first = await bram.reply()  # piket tonight
    assert first["text"].startswith("🚨 CRISISMELDING GZ-1042")
    await team["Anna"].expect_nothing_more()  # her own coach is off duty in the evening

    clock.advance(timedelta(seconds=59))
    await run_alert_tick(bot_app)
    await fleur.expect_nothing_more()
    clock.advance(timedelta(seconds=2))
    await run_alert_tick(bot_app)
    # "on duty" is Bram again, who already has it: straight on to the second line.
    second = await fleur.reply()
    assert second["text"] == first["text"]
    await sara.expect_nothing_more()

    clock.advance(timedelta(seconds=61))
    await run_alert_tick(bot_app)
    third = await sara.reply()
    await sara.press(third, buttons(third)["Ik pak het op"])
    for person, message in ((bram, first), (fleur, second), (sara, third)):
        edited = await person.reply()
        assert edited["message_id"] == message["message_id"]
        assert edited["text"].endswith("✅ Opgepakt door Sara Bakker op ma 23 nov 20:02.")
    assert (await eva.reply())["text"].startswith("Sara Bakker heeft je crisismelding GZ-1042")

    # Taken: no more steps, however long nobody else does anything.
    clock.advance(timedelta(minutes=30))
    await run_alert_tick(bot_app)
    for person in (bram, fleur, sara, eva):
        await person.expect_nothing_more()


async def test_cant_moves_on_at_once_and_a_late_take_is_refused(team, clock):
    clock.set(EVENING)
    bram, fleur = team["Bram"], team["Fleur"]
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    first = await bram.reply()
    await bram.press(first, buttons(first)["Kan niet"])
    assert not buttons(await bram.reply())  # the buttons go away
    second = await fleur.reply()
    await fleur.press(second, buttons(second)["Ik pak het op"])
    await fleur.reply()

    await team["Sara"].expect_nothing_more()


async def test_a_partner_with_an_unknown_code_still_reaches_the_coach_on_duty(team):
    partner = team["Wijkteam"]
    await partner.ask("/crisis NIEUW-7 buurvrouw hoort geschreeuw")
    alert = await team["Eva"].reply()  # bureaudienst this week
    assert alert["text"] == (
        "🚨 CRISISMELDING NIEUW-7\n"
        "buurvrouw hoort geschreeuw\n"
        "Gemeld door Wijkteam Noord op ma 23 nov 09:00.\n\n"
        "Deze code staat niet in de bot (een nieuw gezin?)."
    )


async def test_bad_input_sends_nothing(team):
    partner = team["Wijkteam"]
    assert (await partner.ask("/crisis GZ-1042")).startswith("Gebruik: /crisis CODE")
    assert (await partner.ask("/crisis <b>x</b> help")).startswith("'<b>x</b>' is geen casuscode")
    for name in ("Anna", "Eva", "Bram"):
        await team[name].expect_nothing_more()


async def test_a_piket_coach_who_blocked_the_bot_is_skipped_at_once(
    team, standin, sessionmaker, clock
):
    """Telegram refuses the alert for good (403): nobody waits out the step for a coach who
    cannot see it. The second line has it at once, without a tick, and it is on record."""
    clock.set(EVENING)
    standin.block(team["Bram"].user_id)
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    second = await team["Fleur"].reply()
    assert second["text"].startswith("🚨 CRISISMELDING GZ-1042")
    await team["Sara"].expect_nothing_more()
    async with sessionmaker() as session:
        events = list(
            await session.scalars(
                select(AuditEvent.action)
                .order_by(AuditEvent.id)
                .where(AuditEvent.action.like("alert.%"))
            )
        )
    assert events[:3] == ["alert.raised", "alert.unreachable", "alert.escalated"]
