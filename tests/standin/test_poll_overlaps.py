"""The stand-in notes two clients waiting in getUpdates at the same time (two bot instances
polling), and nothing when one client polls or when a client that waited has gone away."""

import asyncio

import aiohttp

from bot.standin.standin import BotApiStandIn


async def poll(standin: BotApiStandIn, client: aiohttp.ClientSession, timeout: float) -> dict:  # noqa: ASYNC109
    url = f"{standin.base_url}{standin.token}/getUpdates"
    async with client.post(url, json={"timeout": timeout}) as response:
        return await response.json()


async def test_two_clients_polling_at_once_are_an_overlap() -> None:
    async with (
        BotApiStandIn() as standin,
        aiohttp.ClientSession() as first,
        aiohttp.ClientSession() as second,
    ):
        await poll(standin, first, 0)
        await poll(standin, first, 0)
        assert standin.poll_overlaps == []  # one after the other: one poller

        waiting = asyncio.create_task(poll(standin, first, 2))
        await asyncio.sleep(0.2)
        answer = await poll(standin, second, 0)
        assert answer["ok"]
        superseded = await waiting
        assert superseded["error_code"] == 409  # as Telegram: the newer one wins
        assert len(standin.poll_overlaps) == 1


async def test_a_poller_that_went_away_is_no_overlap() -> None:
    async with BotApiStandIn() as standin, aiohttp.ClientSession() as second:
        async with aiohttp.ClientSession() as first:
            waiting = asyncio.create_task(poll(standin, first, 5))
            await asyncio.sleep(0.2)
        waiting.cancel()  # the process was killed: its connection is closed
        await asyncio.sleep(0.2)
        await poll(standin, second, 0)
        assert standin.poll_overlaps == []
