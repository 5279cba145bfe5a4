"""The stand-in's random and slow faults, through the real python-telegram-bot client."""

import time
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.standin.standin import BotApiStandIn

ANNA = 1001
BERT = 1002


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn() as server:
        for user_id, name in ((ANNA, "Anna"), (BERT, "Bert")):
            server.add_user(user_id, name)
            await server.send_message(user_id, "/start")
        yield server


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    async with Bot(standin.token, base_url=standin.base_url) as client:
        yield client


async def _tries(bot: Bot, chat_id: int, count: int) -> int:
    failed = 0
    for number in range(count):
        try:
            await bot.send_message(chat_id, f"{number}")
        except NetworkError:
            failed += 1
    return failed


async def test_a_fraction_of_calls_fails_and_only_in_the_chat_asked(bot, standin):
    standin.fail_randomly(["sendMessage"], 0.2, [{"error_code": 500}], seed=1, chat_id=ANNA)
    failed = await _tries(bot, ANNA, 200)
    assert 20 <= failed <= 60  # about a fifth, from a seeded source
    assert await _tries(bot, BERT, 20) == 0
    assert len(standin.bot_messages(ANNA)) == 200 - failed  # a failed call did nothing
    standin.fail_randomly(["sendMessage"], 0, [])
    assert await _tries(bot, ANNA, 20) == 0


async def test_a_slow_call_is_answered_late_and_carried_out(bot, standin):
    standin.slow_next("sendMessage", 0.3)
    started = time.monotonic()
    sent = await bot.send_message(ANNA, "laat")
    assert time.monotonic() - started >= 0.3
    assert [m["text"] for m in standin.bot_messages(ANNA)] == ["laat"]
    assert sent.text == "laat"
