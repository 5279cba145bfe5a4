"""/crisis with a code the bot does not know: the alert still goes to the coach on duty, the
reporter is told at once, and offered close codes only when they may see codes at all."""

import pytest

from bot.config.team import TeamConfig
from tests.e2e.team_setup import add_family, crisis_config, crisis_team

UNKNOWN = (
    "Let op: de code {code} ken ik niet. Je crisismelding is opgeslagen en ging naar de "
    "dienstdoende coach, die ziet dat de code onbekend is. Ik laat je weten wie hem oppakt."
)


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker):
    people = await crisis_team(member, sessionmaker)
    await add_family(sessionmaker, "GZ-1043", "Eva Mulder")
    await add_family(sessionmaker, "ALM-0417", "Eva Mulder")
    return people


async def test_a_coach_with_a_typo_is_told_and_offered_the_close_codes(team):
    bram, eva = team["Bram"], team["Eva"]
    receipt = await bram.ask("/crisis GZ-1024 moeder belt, vader dreigt")
    assert receipt == (
        UNKNOWN.format(code="GZ-1024") + "\n\nBedoelde je GZ-1042 of GZ-1043? Stuur dan "
        "/crisis met die code en je tekst nog eens, zodat ook de eigen coach van het gezin "
        "hem krijgt."
    )
    alert = await eva.reply()  # bureaudienst: the coach on duty
    assert alert["text"].startswith("🚨 CRISISMELDING GZ-1024\nmoeder belt, vader dreigt\n")
    await team["Anna"].expect_nothing_more()


async def test_a_partner_is_told_but_offered_no_codes(team):
    partner = team["Wijkteam"]
    receipt = await partner.ask("/crisis GZ-1024 buurvrouw hoort geschreeuw")
    assert receipt == UNKNOWN.format(code="GZ-1024")
    assert "GZ-104" not in receipt
    assert (await team["Eva"].reply())["text"].startswith("🚨 CRISISMELDING GZ-1024\n")


async def test_nothing_close_offers_nothing(team):
    receipt = await team["Bram"].ask("/crisis NIEUW-7 buurvrouw hoort geschreeuw")
    assert receipt == UNKNOWN.format(code="NIEUW-7")


async def test_in_english(member, team):
    lead = await member("Lisa Jones", language="en")
    receipt = await lead.ask("/crisis alm-0471 mother calls")
    assert receipt == (
        "Note: I don't know the code ALM-0471. Your crisis alert is saved and went to the "
        "coach on duty, who will see that the code is unknown. I will tell you who takes it."
        "\n\nDid you mean ALM-0417? Then send /crisis with that code and your text again, so "
        "that the family's own coach gets it as well."
    )


async def test_a_known_code_gets_the_usual_receipt(team):
    receipt = await team["Wijkteam"].ask("/crisis gz-1042 moeder belt")
    assert receipt == (
        "Je crisismelding GZ-1042 is opgeslagen en onderweg naar de dienstdoende coach. "
        "Ik laat je weten wie hem oppakt."
    )


async def test_step_by_step_the_unknown_code_is_said_before_the_text(team):
    bram = team["Bram"]
    asked = await bram.ask("/crisis GZ-1024")
    assert asked == (
        "De code GZ-1024 ken ik niet. Bedoelde je GZ-1042 of GZ-1043? Stuur dan /crisis met "
        "die code. Klopt de code wel, stuur me dan nu in één kort bericht wat er aan de hand "
        "is: de melding gaat dan naar de dienstdoende coach. /cancel stopt."
    )
    # The typo put right: the family's own coach has it.
    await bram.ask("/crisis GZ-1042 moeder belt")
    assert (await team["Anna"].reply())["text"].startswith("🚨 CRISISMELDING GZ-1042\n")


async def test_a_partner_asked_for_the_code_first_sees_no_codes(team):
    partner = team["Wijkteam"]
    await partner.ask("/crisis")
    asked = await partner.ask("GZ-1024")
    assert asked.startswith("De code GZ-1024 ken ik niet. Klopt de code wel, stuur me dan")
    assert "GZ-104" not in asked
    assert await partner.ask("buurvrouw hoort geschreeuw") == UNKNOWN.format(code="GZ-1024")
    assert (await team["Eva"].reply())["text"].startswith("🚨 CRISISMELDING GZ-1024\n")
