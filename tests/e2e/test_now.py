"""/now: who holds each duty, until when, and who is next — in local time, DST nights too."""

from datetime import UTC, datetime

import pytest

from bot.config.team import TeamConfig
from bot.models import Role
from tests.e2e.team_setup import week_duties


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate({"duties": week_duties(), "team_chat_id": -100555})


async def test_monday_morning_in_dutch(member):
    anna = await member("Anna de Vries")
    # The clock stands on Monday 23 November 2026, 09:00 in Amsterdam.
    assert await anna.ask("/now") == (
        "Dienst op ma 23 nov 09:00:\n"
        "Bureaudienst: Eva Mulder, tot ma 23 nov 17:00. Daarna: Dirk Smit vanaf ma 30 nov 08:30.\n"
        "Piket: nu geen dienst. Daarna: Bram Jansen vanaf ma 23 nov 17:00."
    )


async def test_the_night_the_clocks_go_back_in_english(member, clock):
    anna = await member("Anna de Vries", language="en")
    # 01:30 UTC on 25 October is the second 02:30 in Amsterdam (winter time again).
    clock.set(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert await anna.ask("/now") == (
        "On duty at Sun 25 Oct 02:30:\n"
        "Bureaudienst: not held at this hour. Next: NOBODY from Mon 26 Oct 08:30.\n"
        "On call (piket): Bram Jansen, until Sun 25 Oct 17:00. "
        "Next: Cem Yilmaz from Sun 25 Oct 17:00."
    )


async def test_in_the_team_group_and_not_for_partners(standin, member):
    group = standin.add_group(-100555, "Team Gezinscoaches")["id"]
    anna = await member("Anna de Vries")
    await anna.say("/now", chat_id=group)
    assert (await anna.reply(group))["text"].startswith("Dienst op ma 23 nov 09:00:")

    partner = await member("Wijkteam Noord", role=Role.PARTNER)
    assert await partner.ask("/now") == "Dat commando is niet beschikbaar voor jouw rol."
