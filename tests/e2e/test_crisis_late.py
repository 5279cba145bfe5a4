"""A /crisis that reaches the bot late (bot down, bad network): it keeps the time it was
written next to the time it arrived, and the recipients and the reporter are told it is late."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.config.team import TeamConfig
from bot.models import Alert, Coach
from tests.e2e.harness import buttons
from tests.e2e.team_setup import crisis_config, crisis_team


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker):
    return await crisis_team(member, sessionmaker)


async def test_a_late_crisis_is_marked_late_for_recipients_and_reporter(team, clock, sessionmaker):
    partner, anna = team["Wijkteam"], team["Anna"]
    written = clock.now() - timedelta(minutes=25)  # 08:35 in Amsterdam; it is 09:00 now
    await partner.say("/crisis GZ-1042 moeder belt, vader dreigt", date=written)
    receipt = (await partner.reply())["text"]
    assert receipt == (
        "Je crisismelding GZ-1042 is opgeslagen en onderweg naar de dienstdoende coach. "
        "Ik laat je weten wie hem oppakt.\n\n"
        "Let op: je melding kwam te laat bij mij binnen. Je schreef hem op ma 23 nov 08:35, "
        "ik ontving hem op ma 23 nov 09:00. Hij is nu verstuurd, gemarkeerd als te laat."
    )
    alert = await anna.reply()
    assert alert["text"] == (
        "🚨 CRISISMELDING GZ-1042\n"
        "moeder belt, vader dreigt\n"
        "Gemeld door Wijkteam Noord op ma 23 nov 09:00.\n"
        "⏰ Te laat binnengekomen: geschreven op ma 23 nov 08:35, ontvangen op ma 23 nov 09:00.\n"
        "\n"
        "Coach: Anna de Vries\n"
        "Back-up: Bram Jansen\n"
        "Veiligheid: veiligheidsplan\n"
        "Fase: uitvoering"
    )
    # Taking it keeps the mark on the card.
    await anna.press(alert, buttons(alert)["Ik pak het op"])
    assert "⏰ Te laat binnengekomen" in (await anna.reply())["text"]
    async with sessionmaker() as session:
        stored = await session.scalar(select(Alert))
    assert stored.written_at == written.replace(microsecond=0)
    assert stored.raised_at == clock.now()


async def test_in_english(member, team, clock, sessionmaker):
    lead = await member("Lisa Jones", language="en")
    async with sessionmaker() as session:
        await session.execute(
            update(Coach).where(Coach.name == "Anna de Vries").values(language="en")
        )
        await session.commit()
    await lead.say("/crisis GZ-1042 mother calls", date=clock.now() - timedelta(minutes=3))
    assert (await lead.reply())["text"].endswith(
        "\n\nNote: your alert reached me late. You wrote it on Mon 23 Nov 08:57, I received it "
        "on Mon 23 Nov 09:00. It has gone out now, marked as late."
    )
    card = (await team["Anna"].reply())["text"]
    assert "⏰ Arrived late: written on Mon 23 Nov 08:57, received on Mon 23 Nov 09:00." in card


async def test_a_message_within_the_delay_is_not_marked(team, clock):
    partner = team["Wijkteam"]
    await partner.say("/crisis GZ-1042 moeder belt", date=clock.now() - timedelta(seconds=90))
    assert "te laat" not in (await partner.reply())["text"]
    assert "⏰" not in (await team["Anna"].reply())["text"]


async def test_the_text_of_a_step_by_step_crisis_counts(team, clock):
    partner = team["Wijkteam"]
    await partner.ask("/crisis GZ-1042")
    await partner.say("moeder belt", date=clock.now() - timedelta(minutes=5))
    assert "Let op: je melding kwam te laat" in (await partner.reply())["text"]
    assert "⏰ Te laat binnengekomen" in (await team["Anna"].reply())["text"]
