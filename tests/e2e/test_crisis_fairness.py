"""One account's burst does not starve another reporter's alert: with the ceiling of new
alerts lifted, 100 alerts from one account wait for Telegram's flood control on the piket
coach's chat together with one partner's genuine alert; when it lifts, the genuine one goes
out among the first, not behind the whole burst."""

import asyncio
from datetime import timedelta

import pytest

from bot.config.team import TeamConfig
from bot.models import Role
from bot.scheduling.dispatcher import CONCURRENT_SENDS
from bot.scheduling.jobs import run_alert_tick
from tests.e2e.evening_team import alert_messages, evening_config, evening_team
from tests.e2e.team_setup import add_family

BURST = 100


@pytest.fixture
def config() -> TeamConfig:
    return evening_config(max_new_per_minute=1000)


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker, clock):
    return await evening_team(member, sessionmaker, clock)


# PTB reads the deprecated int-valued RetryAfter.retry_after while building the error.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_a_burst_from_one_account_does_not_hold_up_another_reporter(
    team, member, standin, bot_app, clock, sessionmaker
):
    eva, bram = team["Eva"], team["Bram"]
    partner = await member("Wijkteam Noord", role=Role.PARTNER)
    for number in range(BURST):
        await add_family(sessionmaker, f"GZ-{4000 + number}", "Anna de Vries")
    standin.fail_randomly(["sendMessage"], 1.0, [{"retry_after": 1}], chat_id=bram.user_id)
    for number in range(BURST):
        await standin.send_message(eva.user_id, f"/crisis GZ-{4000 + number} nood")
    await eva.say("/help")  # all of Eva's are handled before this one
    await partner.say("/crisis GZ-1042 buurvrouw hoort geschreeuw")
    for _ in range(3):
        clock.advance(timedelta(seconds=1))
        await run_alert_tick(bot_app)
    standin.fail_randomly(["sendMessage"], 0, [])
    # The refused tries used up the rate limiter's second; its waiters are let through in no
    # set order, so give it a second to fill again: what is tested is the dispatcher's order.
    await asyncio.sleep(1.1)
    clock.advance(timedelta(seconds=1))
    await run_alert_tick(bot_app)

    cards = sorted(alert_messages(standin, [bram]), key=lambda m: m["message_id"])
    titles = [m["text"].split("\n")[0] for m in cards]
    assert len(titles) == BURST + 1
    # Sent in turns, one message from each reporter's queue at a time.
    assert titles.index("🚨 CRISISMELDING GZ-1042") < CONCURRENT_SENDS
