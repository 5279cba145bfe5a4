from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from telegram.ext import Application

from bot.app import build_application
from bot.models import Coach, Role
from bot.runtime import Runtime
from bot.services.team.coaches import add_coach
from bot.services.team.enrolment import create_invite, redeem
from bot.standin import BotApiStandIn
from bot.transport.poller import serving
from tests.e2e.harness import INBOX, Person


@pytest.fixture
async def standin(clock) -> AsyncIterator[BotApiStandIn]:
    # Telegram's clock is the bot's: a message is dated when the test's clock says it is sent.
    clock_seconds = lambda: clock.now().timestamp()  # noqa: E731
    async with BotApiStandIn(bot_username="achtervang_test_bot", clock=clock_seconds) as server:
        yield server


@pytest.fixture
def scheduler_tick() -> float | None:
    """Seconds between scheduler ticks; None (no scheduled messages) unless a module asks."""
    return None


@asynccontextmanager
async def running_bot(standin, runtime: Runtime) -> AsyncIterator[Application]:
    """The real Application, started the way `achtervang run` starts it (durable inbox and
    all), against the stand-in. `inbox_of(app)` is its poller."""
    app = build_application(
        runtime,
        token=standin.token,
        base_url=standin.base_url,
        base_file_url=standin.base_file_url,
    )
    async with serving(app, runtime, poll_timeout=1) as poller:
        app.bot_data[INBOX] = poller
        yield app
    assert not standin.unsupported_calls, standin.unsupported_calls


@pytest.fixture
def runtime(sessionmaker, config, clock, scheduler_tick) -> Runtime:
    return Runtime(
        config=config, sessionmaker=sessionmaker, clock=clock, tick_seconds=scheduler_tick
    )


@pytest.fixture
async def bot_app(standin, runtime) -> AsyncIterator[Application]:
    async with running_bot(standin, runtime) as app:
        yield app


@pytest.fixture
def stranger(standin, bot_app) -> Person:
    standin.add_user(900001, "Onbekend", language_code="nl")
    return Person(standin, bot_app, 900001, "Onbekend")


MakeMember = Callable[..., Awaitable[Person]]


@pytest.fixture
def member(standin, bot_app, sessionmaker, config, clock) -> MakeMember:
    """A team member already enrolled (the enrolment flow itself has its own tests)."""
    next_id = iter(range(700001, 799999))

    async def make(name: str, role: Role = Role.COACH, language: str = "nl") -> Person:
        user_id = next(next_id)
        standin.add_user(user_id, name.split()[0], language_code=language)
        async with sessionmaker() as session:
            coach = await add_coach(
                session, name=name, role=role, config=config, now=clock.now(), language=language
            )
            code, _ = await create_invite(session, coach, now=clock.now(), rules=config.enrolment)
            await redeem(
                session,
                telegram_user_id=user_id,
                raw_code=code,
                now=clock.now(),
                rules=config.enrolment,
            )
            await session.commit()
        person = Person(standin, bot_app, user_id, name)
        # Telegram only lets a bot write to people who have opened a chat with it.
        await person.say("/help")
        await person.reply()
        return person

    return make


async def coach_named(sessionmaker, name: str) -> Coach:
    from bot.services.team.coaches import find_by_name

    async with sessionmaker() as session:
        return await find_by_name(session, name)
