"""Shared fixtures. Tests run on SQLite by default; set ACHTERVANG_TEST_DATABASE_URL to a
PostgreSQL URL (CI does) to run the same suite there."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import event_loop, schema
from bot.config.settings import Settings
from bot.config.team import TeamConfig
from bot.db import make_engine, make_sessionmaker
from bot.models import Base
from bot.scheduling.clock import ManualClock


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, object]:
    """Every async test runs on the loop the bot runs on in production (uvloop on Linux)."""
    return {"bot-loop": event_loop.new_event_loop}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("ACHTERVANG_TEST_DATABASE_URL")
    if url:
        return Settings(DATABASE_URL=url).database_url
    return f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    # Idempotent: the first test migrates the empty database, later ones find it at head.
    await schema.upgrade(engine)
    try:
        yield engine
    finally:
        async with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                await conn.execute(delete(table))
        await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as session:
        yield session


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig()


@pytest.fixture
def clock() -> ManualClock:
    # A Monday morning in winter time, Amsterdam: 09:00 local.
    return ManualClock(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
