"""A sent /crisis that is edited afterwards, and a crisis text longer than an alert holds."""

import pytest
from sqlalchemy import func, select

from bot.config.team import TeamConfig
from bot.models import Alert
from tests.e2e.team_setup import crisis_config, crisis_team

EDIT_NOTE = (
    "Op een bewerkt bericht doe ik niets: er is niets nieuws verstuurd en niets veranderd "
    "(een bewerkte /crisis maakt geen tweede melding). Stuur een nieuw bericht; wil je iets "
    "aan een crisismelding toevoegen, vertel het dan aan de coach die hem oppakt."
)


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker):
    return await crisis_team(member, sessionmaker)


async def alert_count(sessionmaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(Alert))


async def test_an_edited_crisis_message_raises_no_second_alert(team, sessionmaker):
    partner, anna = team["Wijkteam"], team["Anna"]
    sent = await partner.say("/crisis GZ-1042 moeder belt, vader dreigt")
    await partner.reply()
    alert = await anna.reply()

    await partner.edit(sent, "/crisis GZ-1042 moeder belt, vader dreigt met een mes")
    told = await partner.reply()
    assert told["text"] == EDIT_NOTE
    await anna.expect_nothing_more()
    for name in ("Bram", "Eva", "Fleur", "Sara"):
        await team[name].expect_nothing_more()
    assert await alert_count(sessionmaker) == 1
    assert alert["text"].splitlines()[1] == "moeder belt, vader dreigt"


async def test_an_edited_plain_message_changes_nothing(team, sessionmaker):
    anna = team["Anna"]
    sent = await anna.say("hallo")
    await anna.reply()
    await anna.edit(sent, "/crisis GZ-1042 toch een crisis")
    told = await anna.reply()
    assert told["text"] == EDIT_NOTE
    assert await alert_count(sessionmaker) == 0


async def test_an_english_reporter_is_told_in_english(member, sessionmaker, team):
    lead = await member("Lisa Jones", language="en")
    sent = await lead.say("/crisis GZ-1042 mother calls, father threatens")
    await lead.reply()
    await lead.edit(sent, "/crisis GZ-1042 mother calls again")
    assert (await lead.reply())["text"] == (
        "I don't act on edited messages: nothing new was sent and nothing was changed (an "
        "edited /crisis raises no second alert). Send a new message instead; to add to a "
        "crisis alert, tell the coach who takes it."
    )
    assert await alert_count(sessionmaker) == 1


async def test_a_text_over_the_limit_is_sent_and_the_cut_is_said(team, sessionmaker):
    partner, anna = team["Wijkteam"], team["Anna"]
    text = "moeder belt, vader dreigt. " + "x" * 450 + " de buren bellen ook al" + " en ..." * 9
    receipt = await partner.ask(f"/crisis GZ-1042 {text}")
    assert receipt.startswith("Je crisismelding GZ-1042 is opgeslagen en onderweg")
    assert text[470:500] == "xxxxxxx de buren bellen ook al"
    assert receipt.endswith(
        f"\n\nJe tekst had {len(text)} tekens, meer dan de 500 die een melding bevat: de "
        "melding stopt bij '…xxxxxxx de buren bellen ook al'; de rest is niet verstuurd. "
        "Vertel die aan de coach die hem oppakt."
    )
    card = (await anna.reply())["text"]
    assert text[:500] in card and "alleen thuis" not in card
    assert await alert_count(sessionmaker) == 1
