"""Nobody else's traffic delays a crisis: chats are handled side by side, each in order, and
the bot asks Telegram for more updates once those in hand are handled, but never waits long
for a slow one."""

import pytest

from bot.config.team import TeamConfig
from bot.transport import poller
from tests.e2e.team_setup import crisis_config, crisis_team
from tests.process.instances import poll

GROUP = -100_555_0001
STRANGER = 900_101
ALERT = "🚨 CRISISMELDING GZ-1042"
RECEIPT = "Je crisismelding GZ-1042 is opgeslagen en onderweg naar de dienstdoende coach."


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker):
    return await crisis_team(member, sessionmaker)


async def test_a_stranger_flooding_a_group_does_not_hold_up_a_crisis(team, standin):
    eva, anna = team["Eva"], team["Anna"]
    standin.add_group(GROUP, "Buurtapp Noord")
    standin.add_user(STRANGER, "Onbekend", language_code="nl")
    # Sixty commands in a group the bot is in. Answering them all would take Telegram's
    # group limit (20 a minute) two minutes; whether the bot answers them at all is the
    # gate's business, this test holds either way.
    for n in range(60):
        await standin.send_message(STRANGER, f"/case GZ-{n:04d}", chat_id=GROUP)
    await standin.wait_until_delivered()

    await standin.send_message(eva.user_id, "/crisis GZ-1042 moeder belt, vader dreigt")
    # The harness's usual wait; the claim is the order: the alert came while the group's
    # backlog was still being worked through (before every stranger's command was done).
    alert = await standin.next_message(anna.user_id, timeout=30)
    answered_in_group = len(standin.bot_messages(GROUP))
    assert alert["text"].startswith("🚨 CRISISMELDING GZ-1042")
    assert answered_in_group < 60
    assert (await eva.reply())["text"].startswith(RECEIPT)


async def test_a_conversation_sent_in_one_burst_is_handled_in_order(team, standin):
    eva, anna = team["Eva"], team["Anna"]
    # Three messages of one step-by-step /crisis, sent before the bot fetched any of them.
    for text in ("/crisis", "GZ-1042", "moeder belt, vader dreigt"):
        await standin.send_message(eva.user_id, text)
    alert = await standin.next_message(anna.user_id, timeout=10)
    assert alert["text"].startswith("🚨 CRISISMELDING GZ-1042\nmoeder belt, vader dreigt")
    asked_code, asked_text, receipt = [(await eva.reply())["text"] for _ in range(3)]
    assert asked_code.startswith("Om welk gezin gaat het?")
    assert asked_text.startswith("Wat is er aan de hand bij GZ-1042?")
    assert receipt.startswith(RECEIPT)


def _offsets(calls: list[tuple[str, dict]]) -> list[int]:
    return [int(params.get("offset") or 0) for method, params in calls if method == "getUpdates"]


async def test_the_alert_goes_out_before_the_bot_asks_for_more_updates(team, standin, monkeypatch):
    eva, anna = team["Eva"], team["Anna"]
    # However slow this machine is: the claim is the order, not the bound (the next test).
    monkeypatch.setattr(poller, "GIVE_WAY", 30.0)
    await standin.wait_until_delivered()
    before = len(standin.calls)
    waiting = _offsets(standin.calls)[-1]  # the long poll the /crisis will answer
    await standin.send_message(eva.user_id, "/crisis GZ-1042 moeder belt, vader dreigt")
    assert (await anna.reply())["text"].startswith(ALERT)
    await standin.wait_until_delivered()

    calls = standin.calls[before:]
    alert = next(
        n
        for n, (method, params) in enumerate(calls)
        if method == "sendMessage" and str(params.get("text", "")).startswith(ALERT)
    )
    # The getUpdates that confirms the /crisis (a long poll that ran out meanwhile would ask
    # for the same offset again).
    asked_again = next(
        n
        for n, (method, params) in enumerate(calls)
        if method == "getUpdates" and int(params.get("offset") or 0) > waiting
    )
    # Asked at once, the next getUpdates shared the event loop with the crisis being handled.
    assert alert < asked_again


async def test_a_reply_held_up_by_telegram_does_not_hold_up_the_next_updates(team, standin):
    eva, anna, bram = team["Eva"], team["Anna"], team["Bram"]
    await standin.wait_until_delivered()
    before, bram_had = len(standin.calls), len(standin.bot_messages(bram.user_id))
    standin.slow_next("sendMessage", 3.0)  # within the bot's read timeout: it does arrive
    await standin.send_message(bram.user_id, "/help")
    await poll(lambda: any(m == "sendMessage" for m, _ in standin.calls[before:]), "Bram's reply")

    await standin.send_message(eva.user_id, "/crisis GZ-1042 moeder belt, vader dreigt")
    # Well before Bram's reply is let through: the bot went on fetching after a short wait.
    alert = await standin.next_message(anna.user_id, timeout=1.5)
    assert alert["text"].startswith(ALERT)
    assert len(standin.bot_messages(bram.user_id)) == bram_had
    # And the held reply is not lost.
    await poll(lambda: len(standin.bot_messages(bram.user_id)) > bram_had, "Bram's reply", 5)
