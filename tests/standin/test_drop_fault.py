"""The stand-in's dropped-connection fault: the client sees a network error, nothing is done."""

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.standin.standin import BotApiStandIn

ANNA = 1001


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn() as server:
        server.add_user(ANNA, "Anna")
        yield server


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    async with Bot(standin.token, base_url=standin.base_url) as client:
        yield client


async def test_fail_next_drop_closes_the_connection_before_sending(
    bot: Bot, standin: BotApiStandIn
) -> None:
    await standin.send_message(ANNA, "/start")
    standin.fail_next("sendMessage", drop=True, times=2)

    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(ANNA, "Hallo")
    await bot.send_message(ANNA, "Hallo")

    assert [m["text"] for m in standin.bot_messages(ANNA)] == ["Hallo"]
    assert [name for name, _ in standin.calls].count("sendMessage") == 3
    assert standin.api_errors == []  # no answer was given at all


async def test_a_drop_fault_only_hits_its_method(bot: Bot, standin: BotApiStandIn) -> None:
    standin.fail_next("sendMessage", drop=True)
    assert (await bot.get_me()).username == "achtervang_test_bot"
