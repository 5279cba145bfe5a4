"""The bot's examples show a case code shaped like the team's own, or the one the team config
names; never a format the team does not use."""

import pytest

from bot.config.team import TeamConfig
from bot.models import Role
from tests.e2e.team_setup import add_family


async def test_examples_follow_the_teams_codes(member, sessionmaker):
    anna = await member("Anna de Vries")
    await add_family(sessionmaker, "ALM-0417", "Anna de Vries")
    case = await anna.ask("/case")
    assert "bijvoorbeeld /case ALM-1042." in case and "GZ-" not in case
    contact = await anna.ask("/contact")
    assert "bijvoorbeeld /contact ALM-1042 huisbezoek." in contact
    sara = await member("Sara Bakker", role=Role.TEAMLEAD)
    assert (await sara.ask("/waitlist_add")).startswith(
        "Welk gezin? Stuur de casuscode, bijvoorbeeld ALM-1042."
    )
    # Leave the conversation: its state lives in the handler, shared by later tests' bots.
    await sara.ask("/cancel")


@pytest.mark.parametrize(
    "config", [TeamConfig.model_validate({"cases": {"example_code": "EN-77"}})]
)
async def test_the_team_config_can_name_the_example(member):
    anna = await member("Anna de Vries", language="en")
    assert "for example /case EN-77." in await anna.ask("/case")
