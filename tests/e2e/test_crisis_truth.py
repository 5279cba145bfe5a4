"""One truth for an alert's messages: whatever the interleaving of a take, an escalation and
Telegram failing, every alert message ends up showing the alert's current state, and the
reporter is never told to try again once the alert is stored.

The clock is moved and the alert tick run by hand, as the scheduler would."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import OutboxMessage, OutboxStatus, Role
from bot.scheduling.jobs import run_alert_tick
from tests.e2e.evening_team import (
    WAIT,
    alert_messages,
    evening_config,
    evening_team,
)
from tests.e2e.harness import buttons
from tests.e2e.team_setup import add_family

TAKE = "Ik pak het op"
TRY_AGAIN = "Probeer het zo nog eens"


@pytest.fixture
def config() -> TeamConfig:
    return evening_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker, clock):
    return await evening_team(member, sessionmaker, clock)


def card_about(standin, person, words: str) -> dict | None:
    found = [m for m in alert_messages(standin, [person]) if words in m["text"]]
    return found[-1] if found else None


async def tick_until(condition, bot_app, clock, *, limit: int = 60) -> None:
    """Moves the clock on a second at a time, ticking, until `condition()` holds."""
    for _ in range(limit):
        if condition():
            return
        clock.advance(timedelta(seconds=1))
        await run_alert_tick(bot_app)
    raise AssertionError("never happened")


async def test_a_take_at_the_deadline_leaves_no_live_button(team, standin, bot_app, clock):
    """The take is pressed while the next step's message is on its way to Telegram (which is
    slow to answer it): once it is sent, it too says who took the alert."""
    eva, bram = team["Eva"], team["Bram"]
    everyone = list(team.values())
    for iteration in range(20):
        words = f"melding {iteration}"
        await eva.say(f"/crisis GZ-1042 {words}")
        card = card_about(standin, bram, words)
        assert card is not None and TAKE in buttons(card)
        clock.advance(WAIT)
        standin.slow_next("sendMessage", 0.3)
        escalating = asyncio.create_task(run_alert_tick(bot_app))
        await asyncio.sleep(0.35 * iteration / 19)  # from at once to after the send
        await bram.press(card, buttons(card)[TAKE])
        await escalating
        await run_alert_tick(bot_app)  # the next tick sends whatever is still due
        clock.advance(timedelta(minutes=5))

    live = [m["text"].split("\n")[1] for m in alert_messages(standin, everyone) if buttons(m)]
    assert live == []
    for message in alert_messages(standin, everyone):
        assert "✅ Opgepakt door Bram Jansen" in message["text"], message["text"]


# PTB reads the deprecated int-valued RetryAfter.retry_after while building the error.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_with_a_fifth_of_calls_failing_every_message_ends_true(
    team, standin, bot_app, clock, sessionmaker
):
    eva, bram = team["Eva"], team["Bram"]
    everyone = list(team.values())
    count = 20
    for number in range(count):
        await add_family(sessionmaker, f"GZ-{2000 + number}", "Anna de Vries")
    standin.fail_randomly(
        ["sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery"],
        0.2,
        [{"error_code": 500}, {"retry_after": 1}],
        seed=16,
    )
    for number in range(count):
        code = f"GZ-{2000 + number}"
        await eva.say(f"/crisis {code} moeder belt")
        await tick_until(lambda code=code: card_about(standin, bram, code), bot_app, clock)
        card = card_about(standin, bram, code)
        await bram.press(card, buttons(card)[TAKE])
        await tick_until(
            lambda: all(not buttons(m) for m in alert_messages(standin, [bram])), bot_app, clock
        )
        clock.advance(timedelta(seconds=61))  # past the reporter's ceiling of new alerts
    # Telegram is back to normal for the last retries.
    standin.fail_randomly(["sendMessage", "editMessageText"], 0, [])
    for _ in range(40):
        clock.advance(timedelta(seconds=1))
        await run_alert_tick(bot_app)

    shown = alert_messages(standin, everyone)
    assert len(shown) == count
    for message in shown:
        assert not buttons(message)
        assert "✅ Opgepakt door Bram Jansen" in message["text"], message["text"]
    told = [m["text"] for m in standin.bot_messages(eva.user_id)]
    assert not [t for t in told if TRY_AGAIN in t]
    for number in range(count):
        code = f"GZ-{2000 + number}"
        assert sum(t.startswith(f"Je crisismelding {code} is opgeslagen") for t in told) == 1
        assert f"Bram Jansen heeft je crisismelding {code} opgepakt" in "\n".join(told)
    async with sessionmaker() as session:
        failed = list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
            )
        )
    assert failed == []


@pytest.fixture
async def partner(member):
    return await member("Wijkteam Noord", role=Role.PARTNER)


# PTB reads the deprecated int-valued RetryAfter.retry_after while building the error.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_one_account_flooding_loses_nobody_elses_alert(
    team, partner, standin, bot_app, clock, sessionmaker
):
    """200 /crisis from one account, for 20 families, while Telegram's flood control holds
    the piket coach's chat for 40 seconds; a partner's genuine /crisis in the middle."""
    eva, bram = team["Eva"], team["Bram"]
    for number in range(20):
        await add_family(sessionmaker, f"GZ-{3000 + number}", "Anna de Vries")
    standin.fail_randomly(["sendMessage"], 1.0, [{"retry_after": 1}], chat_id=bram.user_id)
    for number in range(200):
        if number == 100:
            await standin.send_message(
                partner.user_id, "/crisis GZ-1042 buurvrouw hoort geschreeuw"
            )
        await standin.send_message(eva.user_id, f"/crisis GZ-{3000 + number % 20} nood {number}")
    await eva.say("/help")  # settles: every message sent so far is handled
    await partner.reply()  # the partner's receipt
    for _ in range(40):  # longer than 30 tries of one second each
        clock.advance(timedelta(seconds=1))
        await run_alert_tick(bot_app)
    standin.fail_randomly(["sendMessage"], 0, [])
    clock.advance(timedelta(seconds=1))
    await run_alert_tick(bot_app)  # the first tick after the flood control lifts

    cards = [m["text"].split("\n")[:2] for m in alert_messages(standin, [bram])]
    genuine = ["🚨 CRISISMELDING GZ-1042", "buurvrouw hoort geschreeuw"]
    assert genuine in cards
    # Five new alerts from Eva (her ceiling a minute), each once; her repeats joined them.
    assert sorted(title for title, _ in cards if title != genuine[0]) == [
        f"🚨 CRISISMELDING GZ-{3000 + n}" for n in range(5)
    ]
    async with sessionmaker() as session:
        failed = list(
            await session.scalars(
                select(OutboxMessage.key).where(OutboxMessage.status == OutboxStatus.FAILED)
            )
        )
    assert failed == []
    told = [m["text"] for m in standin.bot_messages(eva.user_id)]
    assert sum(t.startswith("Je crisismelding GZ-") and "opgeslagen" in t for t in told) == 5
    assert sum("staat nog open, dus er is geen tweede melding gemaakt" in t for t in told) == 45
    assert sum("in de afgelopen minuut" in t for t in told) == 150
    assert not [t for t in told if TRY_AGAIN in t]


async def test_a_failed_receipt_is_sent_later_and_never_asks_to_try_again(
    team, standin, bot_app, clock
):
    """The alert is stored and sent, but Telegram refuses the reporter's receipt: it follows
    once Telegram takes it again; the reporter is not told something went wrong."""
    eva, bram = team["Eva"], team["Bram"]
    standin.fail_randomly(["sendMessage"], 1.0, [{"error_code": 500}], chat_id=eva.user_id)
    await eva.say("/crisis GZ-1042 moeder belt, vader dreigt")
    assert card_about(standin, bram, "vader dreigt") is not None
    assert standin.bot_messages(eva.user_id)[-1]["text"].startswith("Wat je kunt doen")  # /help
    standin.fail_randomly(["sendMessage"], 0, [])
    clock.advance(timedelta(seconds=2))
    await run_alert_tick(bot_app)

    told = [m["text"] for m in standin.bot_messages(eva.user_id)]
    assert told[1:] == [
        "Je crisismelding GZ-1042 is opgeslagen en onderweg naar de dienstdoende coach. "
        "Ik laat je weten wie hem oppakt."
    ]
