"""/calendar's subscription link: a personal secret URL on the bot's HTTP side whose calendar
follows the roster (an override shows at the next poll), with the file's UIDs; /calendar
reset replaces it and /calendar stop ends it."""

from __future__ import annotations

import pytest
import vobject
from aiohttp.test_utils import TestClient, TestServer
from icalendar import Calendar
from sqlalchemy import select

from bot.config.feeds import FeedsConfig
from bot.config.team import TeamConfig
from bot.models import AuditEvent, FeedToken
from bot.operations.health import HealthCheck
from bot.operations.http import build_app
from tests.e2e.team_setup import week_duties
from tests.e2e.test_calendar import give, local

BASE = "https://achtervang.example.nl"


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate({"duties": week_duties(), "feeds": {"base_url": BASE}})


@pytest.fixture
async def http(runtime, bot_app):
    check = HealthCheck(runtime.sessionmaker, runtime.clock, 30.0)
    async with TestClient(TestServer(build_app(check, runtime))) as client:
        yield client


def link_in(text: str) -> str:
    (url,) = [line for line in text.splitlines() if line.startswith(BASE)]
    return url.removeprefix(BASE)


async def test_the_link_follows_the_roster_and_can_be_reset(
    member, standin, sessionmaker, clock, http
):
    anna = await member("Anna de Vries")
    await anna.say("/calendar")
    file_message = await anna.reply()
    (document,) = standin.documents(anna.user_id)
    offered = (await anna.reply())["text"]
    assert offered.startswith("📅 Je persoonlijke agendalink (houd hem voor jezelf):\n")
    path = link_in(offered)
    assert path.startswith("/feed/calendar/") and len(path) > len("/feed/calendar/.ics") + 40
    assert file_message["document"]["file_name"] == "achtervang.ics"

    response = await http.get(path)
    assert response.status == 200
    subscribed = vobject.readOne((await response.read()).decode())
    from_file = Calendar.from_ical(document["content"])
    # The same events as the file, under the same UIDs: a phone that imported the file and
    # then subscribes sees no doubles.
    assert sorted(e.uid.value for e in subscribed.vevent_list) == sorted(
        str(e["UID"]) for e in from_file.events
    )
    assert all(e.summary.value.endswith(": Anna de Vries") for e in subscribed.vevent_list)

    # The team lead gives Anna Tuesday's bureaudienst: the next poll has it.
    await give(
        sessionmaker, clock, "Anna de Vries", "bureaudienst",
        local(2026, 11, 24, 8, 30), local(2026, 11, 24, 17, 0),
    )  # fmt: skip
    polled = vobject.readOne((await (await http.get(path)).read()).decode())
    assert "Bureaudienst: Anna de Vries" in [e.summary.value for e in polled.vevent_list]

    # Asking again does not silently replace the link that is in her calendar.
    await anna.say("/calendar")
    await anna.reply()
    assert (await anna.reply())["text"] == (
        "Je agendalink van ma 23 nov werkt nog. Kwijt? /calendar reset maakt een nieuwe."
    )
    assert (await http.get(path)).status == 200

    new = link_in(await anna.ask("/calendar reset"))
    assert new != path
    assert ((await http.get(path)).status, (await http.get(new)).status) == (404, 200)

    assert await anna.ask("/calendar stop") == "Je agendalink werkt niet meer."
    assert (await http.get(new)).status == 404
    async with sessionmaker() as session:
        hashes = list(await session.scalars(select(FeedToken.token_hash)))
        actions = [
            e.action
            for e in await session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action.startswith("calendar.")
        ]
    # Only hashes are stored: no link can be rebuilt from the database.
    assert len(hashes) == 2 and all(h not in path + new for h in hashes)
    assert actions == ["calendar.link", "calendar.reset", "calendar.stop"]


async def test_without_a_base_url_there_is_no_link(member, runtime, standin):
    anna = await member("Anna de Vries")
    runtime.config = runtime.config.model_copy(update={"feeds": FeedsConfig()})
    await anna.say("/calendar")
    await anna.reply()
    await anna.expect_nothing_more()
