"""When deciding access itself fails (the database gone mid-request, input the gate did not
foresee) the update ends at the gate: no feature handler runs, strangers see nothing, members
get a short refusal, and PTB's error handler is not what stops it."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from telegram import Update
from telegram.ext import TypeHandler

from bot.db import make_engine
from bot.handlers import registry
from bot.models import Alert, Role
from bot.runtime import Runtime
from bot.transport.handling import current_update_id
from tests.e2e.case_setup import add_alert, add_case

# Every command with an argument that would make it show something if it ran.
COMMANDS = [f"/{spec.name} GZ-1042" for spec in registry.COMMANDS if spec.name != "start"]


class FlakyDatabase:
    """A sessionmaker whose next `fail` sessions talk to a database that is not there: the
    connection is refused the way a dropped PostgreSQL connection or a missing file is."""

    def __init__(self, real: async_sessionmaker, dead: async_sessionmaker) -> None:
        self.real, self.dead, self.fail, self.skip = real, dead, 0, 0

    def fail_gate(self, *, after: int = 0) -> None:
        """The gate's next session fails (after `after` good ones of its own). The durable
        inbox's own sessions (storing, marking) are not the gate's and always succeed: an
        update it cannot store is fetched again later and never reaches the gate."""
        self.skip, self.fail = after, 1

    def __call__(self, **kwargs):
        if current_update_id() is None:  # the inbox's own work, not an update's handling
            return self.real(**kwargs)
        if self.skip:
            self.skip -= 1
        elif self.fail:
            self.fail -= 1
            return self.dead(**kwargs)
        return self.real(**kwargs)


@pytest.fixture
async def flaky(sessionmaker, tmp_path):
    dead = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'gone.sqlite3'}")
    yield FlakyDatabase(sessionmaker, async_sessionmaker(dead))
    await dead.dispose()


@pytest.fixture
def runtime(flaky, config, clock, scheduler_tick) -> Runtime:
    return Runtime(config=config, sessionmaker=flaky, clock=clock, tick_seconds=scheduler_tick)


@pytest.fixture
def reached(bot_app) -> list[int]:
    """Update ids that got past the gate to any feature handler's group."""
    seen: list[int] = []

    async def spy(update: Update, _context) -> None:
        seen.append(update.update_id)

    # Group 1 runs after the features' group 0 for every update the gate let through.
    bot_app.add_handler(TypeHandler(Update, spy, block=True), group=1)
    return seen


async def test_stranger_during_a_database_failure_sees_no_alerts(
    standin, stranger, member, sessionmaker, flaky, reached, caplog
):
    anna = await member("Anna de Vries")
    case = await add_case(sessionmaker, "GZ-1042", "Anna de Vries")
    await add_alert(sessionmaker, case, taken_by=None, sent_to="Anna de Vries")
    before = len(reached)

    flaky.fail_gate()
    await stranger.say("/alerts")
    await stranger.expect_nothing_more()
    assert standin.bot_messages(stranger.user_id) == []
    assert len(reached) == before
    assert not [r for r in caplog.records if r.name == "bot.handlers.fallback"]
    # The next update, with the database back, is decided as usual.
    assert (await anna.ask("/alerts")).count("GZ-1042") == 1


async def test_every_command_by_every_role_with_the_database_failing(
    standin, stranger, member, sessionmaker, flaky, reached, caplog
):
    people = [stranger]
    for role in Role:
        people.append(await member(f"Rol {role.value}", role=role))
    case = await add_case(sessionmaker, "GZ-1042", "Rol coach")
    await add_alert(sessionmaker, case, taken_by=None, sent_to="Rol coach")
    before = len(reached)
    shown_before = {p.user_id: len(standin.bot_messages(p.user_id)) for p in people}

    for person in people:
        for text in COMMANDS:
            flaky.fail_gate()
            await person.say(text)
    assert len(reached) == before
    for person in people:
        assert len(standin.bot_messages(person.user_id)) == shown_before[person.user_id]
    assert not [r for r in caplog.records if r.name == "bot.handlers.fallback"]


async def test_a_member_is_told_when_the_check_fails_after_knowing_them(
    member, flaky, reached, sessionmaker
):
    partner = await member("Wijkteam Noord", role=Role.PARTNER)
    before = len(reached)
    # The look-up works; recording the refused /case does not.
    flaky.fail_gate(after=1)
    text = await partner.ask("/case GZ-1042")
    assert text == "Ik kon je toegang nu niet controleren; er is niets gedaan. Probeer het opnieuw."
    await partner.expect_nothing_more()
    assert len(reached) == before


@pytest.mark.parametrize("blank", ["\u3000", "\u00a0", "\u200b", "\u3000\u00a0 "])
async def test_only_invisible_whitespace_is_not_understood(
    stranger, member, blank, reached, caplog
):
    anna = await member("Anna de Vries")
    before = len(reached)
    assert await anna.ask(blank) == "Dat begreep ik niet. /help laat zien wat je kunt doen."
    await stranger.say("/help")
    await stranger.reply()
    await stranger.say(blank)
    await stranger.expect_nothing_more()
    assert len(reached) == before
    assert not [r for r in caplog.records if r.name == "bot.handlers.fallback"]


async def test_a_lone_ideographic_space_in_the_crisis_text_step_raises_nothing(
    member, sessionmaker
):
    anna = await member("Anna de Vries")
    await add_case(sessionmaker, "GZ-1042", "Anna de Vries")
    await anna.say("/crisis GZ-1042")
    await anna.reply()
    assert await anna.ask("\u3000") == "Dat begreep ik niet. /help laat zien wat je kunt doen."
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Alert)) == 0


@pytest.mark.parametrize(
    "text", ["/crisis GZ-1042 moeder\x00belt", "hallo\x07", "/case GZ\x001042"]
)
async def test_nul_and_control_characters_are_refused_at_the_edge(member, text, reached, caplog):
    anna = await member("Anna de Vries")
    before = len(reached)
    assert await anna.ask(text) == "Dat begreep ik niet. /help laat zien wat je kunt doen."
    assert len(reached) == before
    assert not [r for r in caplog.records if r.name == "bot.handlers.fallback"]
