"""The sandbox in one process: empty database in, demo team, bot and web chat out. Driven
over HTTP exactly as the page drives it."""

from __future__ import annotations

import aiohttp
import pytest

from bot.demo_data import PEOPLE, SICK_COACH, demo_config
from bot.sandbox.run import Sandbox

# With the test clock on Monday 23 November 2026, 09:00: week 48 is Sanne Kuipers's
# bureaudienst, and Thijs Brouwer (off sick) is the coach of the family in the open alert.
ON_DUTY = "Sanne Kuipers"


@pytest.fixture
async def sandbox(tmp_path, clock):
    said: list[str] = []
    url = f"sqlite+aiosqlite:///{tmp_path / 'sandbox.sqlite3'}"
    async with Sandbox(url, demo_config(), port=0, clock=clock, say=said.append) as box:
        box.said = said
        yield box


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


async def bot_messages(http, box, chat_id: int, *, at_least: int) -> list[dict]:
    """The bot's messages in a chat, once there are `at_least` of them (or fails)."""
    root = box.url.removesuffix("/sandbox/")
    after = 0
    for _ in range(20):
        async with http.get(f"{root}/control/chats/{chat_id}/messages") as response:
            messages = [m for m in await response.json() if m["from_bot"]]
        if len(messages) >= at_least:
            return messages
        async with http.get(f"{root}/control/events?after={after}&timeout=1") as response:
            after = (await response.json())["last"]
    raise AssertionError(f"chat {chat_id}: expected {at_least} bot messages, got {messages}")


async def test_an_empty_database_gets_the_schema_and_the_demo_team(sandbox, http):
    assert sandbox.said[0] == "Database bijgewerkt naar het huidige schema."
    assert sandbox.said[1].startswith("Demoteam geladen: 12 personen, 70 gezinnen")
    async with http.get(sandbox.url) as response:
        assert response.status == 200
        assert "static/app.js" in await response.text()
    async with http.get(sandbox.url + "api/setup?lang=en") as response:
        setup = await response.json()
    shown = {p["name"]: p["role_label"] for p in setup["people"]}
    assert {p.name for p in PEOPLE} < shown.keys()
    assert shown["Ingrid Scholten"] == "team lead"
    assert shown["Ilse Wolters (Veilig Thuis)"] == "partner"
    assert setup["labels"]["who"] == "Who are you?"
    assert setup["group"]["title"] == "Team Gezinscoaches (demo)"


async def test_a_coach_picked_on_the_page_asks_now_and_sees_who_is_on_duty(sandbox, http):
    async with http.get(sandbox.url + "api/setup") as response:
        people = {p["name"]: p["user_id"] for p in (await response.json())["people"]}
    marieke = people["Marieke van Dam"]
    root = sandbox.url.removesuffix("/sandbox/")
    async with http.post(f"{root}/control/send", json={"user_id": marieke, "text": "/now"}) as r:
        assert r.status == 200
    (reply,) = await bot_messages(http, sandbox, marieke, at_least=1)
    assert reply["text"].startswith("Dienst op ")
    assert f"Bureaudienst: {ON_DUTY}" in reply["text"]

    async with http.get(sandbox.url + f"api/commands/{marieke}") as response:
        menu = [c["command"] for c in await response.json()]
    assert {"now", "roster", "crisis"} <= set(menu)


async def test_the_open_alert_reaches_the_coach_on_duty_not_the_sick_coach(sandbox, http):
    async with http.get(sandbox.url + "api/setup") as response:
        people = {p["name"]: p["user_id"] for p in (await response.json())["people"]}
    (alert,) = await bot_messages(http, sandbox, people[ON_DUTY], at_least=1)
    assert "ALM-" in alert["text"]
    assert alert["reply_markup"]["inline_keyboard"], "the alert offers Take it / Can't"
    async with http.get(
        sandbox.url.removesuffix("sandbox/") + f"control/chats/{people[SICK_COACH]}/messages"
    ) as response:
        assert await response.json() == []


async def test_a_second_start_on_the_same_database_adds_nothing(tmp_path, clock):
    url = f"sqlite+aiosqlite:///{tmp_path / 'again.sqlite3'}"
    async with Sandbox(url, demo_config(), port=0, clock=clock):
        pass
    said: list[str] = []
    async with Sandbox(url, demo_config(), port=0, clock=clock, say=said.append):
        pass
    assert said == ["De database bevat al een team; er zijn geen demogegevens toegevoegd."]


async def test_someone_not_enrolled_can_be_picked_and_is_politely_refused(sandbox, http):
    async with http.get(sandbox.url + "api/setup") as response:
        visitor = (await response.json())["people"][-1]
    assert (visitor["name"], visitor["role_label"]) == (
        "Iemand die niet is aangemeld",
        "niet aangemeld",
    )
    root = sandbox.url.removesuffix("/sandbox/")
    body = {"user_id": visitor["user_id"], "text": "/now"}
    async with http.post(f"{root}/control/send", json=body) as response:
        assert response.status == 200
    (reply,) = await bot_messages(http, sandbox, visitor["user_id"], at_least=1)
    assert reply["text"].startswith("Deze bot is alleen voor leden van het team Gezinscoaches.")
