"""A /visit that reaches the bot late (it was down, or the coach's network was) counts from
when the coach sent it, says so, and never alarms anyone over the delay itself.

The clock is Monday 23 November 2026 in Amsterdam; visits have a reminder 5 minutes before the
end, a grace of 10 minutes and a last call of 5 (the defaults)."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.config.team import TeamConfig
from bot.models import Role
from tests.e2e.harness import tick_at
from tests.e2e.team_setup import crisis_config

SENT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member):
    people = {}
    for name, role in [
        ("Anna de Vries", Role.COACH),
        ("Eva Mulder", Role.COACH),  # bureaudienst: a safety alert would go to her first
        ("Sara Bakker", Role.TEAMLEAD),
    ]:
        people[name.split()[0]] = await member(name, role=role, language="en")
    return people


async def test_a_late_visit_counts_from_when_it_was_sent(team, bot_app, clock):
    anna = team["Anna"]
    clock.set(SENT + timedelta(minutes=20))
    await anna.say("/visit 30m", date=SENT)
    text = (await anna.reply())["text"]
    assert text.startswith(
        "Note: your /visit reached me late: you sent it on Mon 23 Nov 09:00, I received it on "
        "Mon 23 Nov 09:20. Its times count from when you sent it.\n\n"
        "Home visit noted until 09:30.\n"
    )
    await tick_at(bot_app, clock, SENT + timedelta(minutes=24))
    await anna.expect_nothing_more()
    await tick_at(bot_app, clock, SENT + timedelta(minutes=25))
    assert (await anna.reply())["text"].startswith("Your home visit ends at 09:30.")


async def test_an_end_passed_on_arrival_asks_the_coach_before_anyone_is_alerted(
    team, bot_app, clock
):
    anna, eva = team["Anna"], team["Eva"]
    arrived = SENT + timedelta(minutes=40)
    clock.set(arrived)
    await anna.say("/visit until 09:30", date=SENT)
    text = (await anna.reply())["text"]
    assert "you sent it on Mon 23 Nov 09:00, I received it on Mon 23 Nov 09:40." in text
    assert "The end you gave had passed by then, so it ends now: press Safely back" in text
    assert "Home visit noted until 09:40." in text
    # Asked at once; nobody else hears anything until the usual grace and last call have run.
    await tick_at(bot_app, clock, arrived + timedelta(seconds=1))
    assert (await anna.reply())["text"].startswith("Your home visit ends at 09:40.")
    await tick_at(bot_app, clock, arrived + timedelta(minutes=14))
    await eva.expect_nothing_more()


async def test_a_visit_on_time_says_nothing_of_lateness(team, bot_app, clock):
    anna = team["Anna"]
    clock.set(SENT + timedelta(minutes=1))
    await anna.say("/visit 30m", date=SENT)  # within alerts.late_after (2 minutes)
    text = (await anna.reply())["text"]
    assert text.startswith("Home visit noted until 09:31.")
