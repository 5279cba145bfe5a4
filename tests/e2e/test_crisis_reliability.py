"""Crisis alerts when Telegram fails: every step still reaches its coach, and exactly once.

The stand-in refuses sendMessage (HTTP 500, 429 with retry_after, a dropped connection); the
clock is moved past the urgent backoff (1 s, 2 s, 4 s …, or Telegram's retry_after) and the
alert tick is run by hand, as the scheduler would."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import OutboxMessage, OutboxStatus
from bot.scheduling.dispatcher import dispatch_due
from bot.scheduling.jobs import ESCALATION_BATCH, run_alert_tick
from bot.services.alerts.lifecycle import raise_alert
from tests.e2e.conftest import coach_named
from tests.e2e.evening_team import WAIT, evening_config, evening_team

ALERT = "🚨 CRISISMELDING GZ-1042"

FAULTS = {
    "http-500": {"error_code": 500},
    "429-retry-after-1": {"retry_after": 1},
    "dropped-connection": {"drop": True},
}


@pytest.fixture
def config() -> TeamConfig:
    return evening_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker, clock):
    return await evening_team(member, sessionmaker, clock)


def alerts_in(standin, person) -> list[dict]:
    return [m for m in standin.bot_messages(person.user_id) if m.get("text", "").startswith(ALERT)]


async def tick_until_shown(standin, bot_app, clock, person, *, limit: int = 40) -> timedelta:
    """Moves the clock on a second at a time, ticking, until the person has the alert; returns
    how much clock time that took."""
    waited = timedelta(0)
    for _ in range(limit):
        if alerts_in(standin, person):
            return waited
        clock.advance(timedelta(seconds=1))
        waited += timedelta(seconds=1)
        await run_alert_tick(bot_app)
    raise AssertionError(f"{person.name} never got the alert; api errors: {standin.api_errors}")


async def step_to_next_deadline(bot_app, clock, spent: timedelta) -> None:
    clock.advance(WAIT - spent + timedelta(seconds=1))
    await run_alert_tick(bot_app)


# PTB reads the deprecated int-valued RetryAfter.retry_after while building the error.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_every_step_arrives_exactly_once_through_failures(
    fault, team, standin, bot_app, clock, sessionmaker
):
    eva, bram, fleur, sara = team["Eva"], team["Bram"], team["Fleur"], team["Sara"]

    # The first try, from the /crisis handler itself, fails; the confirmation still goes out.
    standin.fail_next("sendMessage", **fault)
    confirmation = await eva.ask("/crisis GZ-1042 moeder belt, vader dreigt")
    assert confirmation.startswith("Je crisismelding GZ-1042 is opgeslagen")
    assert alerts_in(standin, bram) == []
    spent = await tick_until_shown(standin, bot_app, clock, bram)
    assert spent == timedelta(seconds=1)  # urgent backoff and retry_after are both 1 s here

    # The second line's step fails three times in a row: 1 s + 2 s + 4 s of backoff (or 1 s
    # each for a 429 that asks for 1 s).
    standin.fail_next("sendMessage", **fault, times=3)
    await step_to_next_deadline(bot_app, clock, spent)
    assert alerts_in(standin, fleur) == []
    spent = await tick_until_shown(standin, bot_app, clock, fleur)
    assert spent == (timedelta(seconds=3) if "retry_after" in fault else timedelta(seconds=7))

    # The team lead's step: one failure.
    standin.fail_next("sendMessage", **fault)
    await step_to_next_deadline(bot_app, clock, spent)
    assert alerts_in(standin, sara) == []
    await tick_until_shown(standin, bot_app, clock, sara)

    # Long after: nothing more goes out, and nobody got a step twice.
    for _ in range(5):
        clock.advance(timedelta(minutes=5))
        await run_alert_tick(bot_app)
    for person in (bram, fleur, sara):
        assert len(alerts_in(standin, person)) == 1, person.name
    assert alerts_in(standin, team["Anna"]) == [] and alerts_in(standin, eva) == []
    async with sessionmaker() as session:
        rows = list(
            await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "alert"))
        )
    assert sorted(r.status for r in rows) == [OutboxStatus.SENT] * 3
    # Telegram's flood control asking to wait is not a failed attempt: it uses up no tries.
    expected = [1, 1, 1] if "retry_after" in fault else [2, 2, 4]
    assert sorted(r.attempts for r in rows) == expected


async def test_a_long_outage_does_not_stack_up_copies(team, standin, bot_app, clock):
    """Telegram refuses five sends in a row (31 s of backoff): when it is back, one copy goes
    out."""
    bram = team["Bram"]
    standin.fail_next("sendMessage", error_code=502, times=1)
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    standin.fail_next("sendMessage", error_code=502, times=4)
    spent = await tick_until_shown(standin, bot_app, clock, bram)
    assert spent == timedelta(seconds=1 + 2 + 4 + 8 + 16)
    for _ in range(10):
        clock.advance(timedelta(seconds=5))
        await run_alert_tick(bot_app)
    assert len(alerts_in(standin, bram)) == 1


async def test_two_dispatchers_at_once_send_each_alert_once(
    team, standin, bot_app, clock, sessionmaker, config
):
    """The /crisis handler and the alert tick both send what is due, at the same moment: a
    row is claimed by one of them only (on SQLite too, which has no SELECT … FOR UPDATE)."""
    runtime = bot_app.bot_data["runtime"]
    eva = await coach_named(sessionmaker, "Eva Mulder")
    async with sessionmaker() as session:
        for number in range(20):
            await raise_alert(
                session, config, reporter=eva, code=f"GZ-{number}", text="nood", now=clock.now()
            )
        await session.commit()
    await asyncio.gather(*(dispatch_due(bot_app.bot, runtime) for _ in range(4)))

    shown = [m["text"].split("\n")[0] for m in standin.bot_messages(team["Bram"].user_id)]
    shown = [line for line in shown if line.startswith("🚨")]
    assert len(shown) == 20 and len(set(shown)) == 20, sorted(shown)


async def test_a_burst_of_escalations_all_go_out_in_one_tick(
    team, standin, bot_app, clock, sessionmaker, config
):
    """More alerts fall due at once than one transaction escalates (say, after a restart):
    the tick goes on until every one of them has had its next step, once."""
    count = ESCALATION_BATCH * 2 + 5
    eva = await coach_named(sessionmaker, "Eva Mulder")
    async with sessionmaker() as session:
        for number in range(count):
            await raise_alert(
                session, config, reporter=eva, code=f"GZ-{number}", text="nood", now=clock.now()
            )
        await session.commit()
    await run_alert_tick(bot_app)
    clock.advance(WAIT + timedelta(seconds=1))
    await run_alert_tick(bot_app)

    shown = [m["text"].split("\n")[0] for m in standin.bot_messages(team["Fleur"].user_id)]
    shown = [line for line in shown if line.startswith("🚨")]
    assert sorted(shown) == sorted(f"🚨 CRISISMELDING GZ-{n}" for n in range(count))
