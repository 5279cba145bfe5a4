"""The bot's HTTP client for the Bot API (bot/transport/bot_api_http.py) against the stand-in
over loopback: what the rest of the bot relies on from PTB's httpx client holds for it."""

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.standin.standin import BotApiStandIn
from bot.transport.bot_api_http import AiohttpRequest

ANNA = 1001


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn() as server:
        server.add_user(ANNA, "Anna")
        server.open_chat(ANNA)
        yield server


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    client = Bot(
        standin.token,
        base_url=standin.base_url,
        request=AiohttpRequest(connection_pool_size=8),
        get_updates_request=AiohttpRequest(),
    )
    async with client:
        yield client


async def test_a_message_arrives_as_sent(bot: Bot, standin: BotApiStandIn) -> None:
    sent = await bot.send_message(ANNA, "Crisis bij GZ-1042: moeder belt 🚨", parse_mode=None)

    assert sent.text == "Crisis bij GZ-1042: moeder belt 🚨"
    assert [m["text"] for m in standin.bot_messages(ANNA)] == [sent.text]


async def test_a_file_arrives_with_its_name_and_content(bot: Bot, standin: BotApiStandIn) -> None:
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    await bot.send_document(ANNA, ics, filename="piket.ics", caption="Piket")

    [document] = standin.documents(ANNA)
    assert document["file_name"] == "piket.ics"
    assert document["content"] == ics


async def test_an_answer_that_is_too_slow_is_a_timeout(bot: Bot, standin: BotApiStandIn) -> None:
    standin.slow_next("sendMessage", 1.0)

    with pytest.raises(TimedOut):
        await bot.send_message(ANNA, "Hallo", read_timeout=0.2)


async def test_a_dropped_connection_is_a_network_error(bot: Bot, standin: BotApiStandIn) -> None:
    standin.fail_next("sendMessage", drop=True)

    with pytest.raises(NetworkError) as raised:
        await bot.send_message(ANNA, "Hallo")
    assert not isinstance(raised.value, TimedOut)
    await bot.send_message(ANNA, "Hallo")  # the next call gets through on a new connection
    assert [m["text"] for m in standin.bot_messages(ANNA)] == ["Hallo"]


async def test_an_error_answer_is_telegrams_error(bot: Bot, standin: BotApiStandIn) -> None:
    standin.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")

    with pytest.raises(BadRequest, match=r"[Cc]hat not found"):
        await bot.send_message(ANNA, "Hallo")


async def test_no_server_is_a_network_error(standin: BotApiStandIn) -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        # A port nobody listens on: the stand-in's, after it stopped.
        url = standin.base_url
        await standin.stop()
        with pytest.raises(NetworkError):
            await request.post(f"{url}{standin.token}/getMe")
    finally:
        await request.shutdown()


async def test_it_must_be_initialized_and_can_be_again(standin: BotApiStandIn) -> None:
    request = AiohttpRequest()
    # PTB wraps what its HTTP client raises, as it does for httpx's.
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(f"{standin.base_url}{standin.token}/getMe")
    for _ in range(2):
        await request.initialize()
        me = await request.post(f"{standin.base_url}{standin.token}/getMe")
        assert me["is_bot"] is True
        await request.shutdown()


async def test_a_proxy_named_in_the_environment_is_used(
    standin: BotApiStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    async def proxy(request: web.Request) -> web.Response:
        # A forward proxy is asked for the whole URL; this one answers getMe itself.
        asked.append(str(request.url))
        return web.json_response({"ok": True, "result": {"id": 1, "is_bot": True}})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", proxy)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    try:
        me = await _get_me(standin)
    finally:
        await runner.cleanup()

    assert me["is_bot"] is True
    assert [url.rsplit("/", 1)[-1] for url in asked] == ["getMe"]
    assert not [name for name, _ in standin.calls if name == "getMe"]


async def test_a_host_named_in_no_proxy_is_reached_directly(
    standin: BotApiStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy that answers nothing: were it asked, the call would fail.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.delenv("no_proxy", raising=False)
    me = await _get_me(standin)

    assert me["is_bot"] is True
    assert [name for name, _ in standin.calls if name == "getMe"] == ["getMe"]


async def _get_me(standin: BotApiStandIn) -> dict:
    """One getMe through a client made now, so that it reads the environment as set."""
    request = AiohttpRequest()
    await request.initialize()
    try:
        return await request.post(f"{standin.base_url}{standin.token}/getMe")
    finally:
        await request.shutdown()
