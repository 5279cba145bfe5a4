"""The embedded database's driver (bot/sqlite_driver.py): one trip to aiosqlite's thread per
statement, and the same answers SQLite gives. Always on a SQLite file of its own, also when
the suite runs against PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import make_engine, make_sessionmaker, rowcount

_metadata = MetaData()
_families = Table(
    "families",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String, unique=True, nullable=False),
)


@pytest.fixture
async def sqlite(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.sqlite3'}")
    async with engine.begin() as connection:
        await connection.run_sync(_metadata.create_all)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What was handed to aiosqlite's thread, by name, from here on."""
    seen: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return seen


async def test_a_read_is_one_trip_and_a_write_two(sqlite: AsyncEngine, trips: list[str]) -> None:
    sessionmaker = make_sessionmaker(sqlite)
    async with sessionmaker() as session:  # the pool's connection, opened before counting
        await session.execute(text("SELECT 1"))
    trips.clear()

    async with sessionmaker() as session:
        await session.execute(select(_families))
    # SQLAlchemy's own adapter: cursor, execute, fetchall, close, and two rollbacks of a
    # transaction SQLite never opened.
    assert len(trips) == 1, trips

    trips.clear()
    async with sessionmaker() as session:
        await session.execute(insert(_families).values(code="ALM-0417"))
        await session.commit()
    assert len(trips) == 2, trips  # the INSERT and its COMMIT


async def test_rows_counts_and_new_ids_are_sqlites(sqlite: AsyncEngine) -> None:
    sessionmaker = make_sessionmaker(sqlite)
    async with sessionmaker() as session:
        new_id = (
            await session.execute(
                insert(_families).values(code="ALM-0001").returning(_families.c.id)
            )
        ).scalar_one()
        # Many rows in one statement (executemany), then one more through the cursor's lastrowid.
        await session.execute(insert(_families), [{"code": f"ALM-00{n}"} for n in (10, 11, 12)])
        last = await session.execute(insert(_families).values(code="ALM-0099"))
        renamed = await session.execute(
            update(_families)
            .where(_families.c.code.like("ALM-001%"))
            .values(code=_families.c.code + "X")
        )
        await session.commit()

    async with sessionmaker() as session:
        rows = (
            await session.execute(select(_families.c.id, _families.c.code).order_by(_families.c.id))
        ).all()
    assert [row.code for row in rows] == [
        "ALM-0001",
        "ALM-0010X",
        "ALM-0011X",
        "ALM-0012X",
        "ALM-0099",
    ]
    assert rows[0].id == new_id
    assert last.inserted_primary_key == (rows[-1].id,)
    assert rowcount(renamed) == 3


async def test_a_failed_write_is_refused_rolled_back_and_the_connection_goes_on(
    sqlite: AsyncEngine,
) -> None:
    sessionmaker = make_sessionmaker(sqlite)
    async with sessionmaker() as session:
        await session.execute(insert(_families).values(code="ALM-0417"))
        await session.commit()
    async with sessionmaker() as session:
        await session.execute(insert(_families).values(code="ALM-0500"))
        with pytest.raises(IntegrityError):
            await session.execute(insert(_families).values(code="ALM-0417"))
        await session.rollback()
        # The write before the failure went with the rollback; the connection still answers.
        codes = (await session.scalars(select(_families.c.code))).all()
    assert codes == ["ALM-0417"]
    async with sessionmaker() as session:
        with pytest.raises(OperationalError):
            await session.execute(text("SELECT * FROM no_such_table"))


async def test_a_write_cancelled_while_queued_is_rolled_back_not_left_for_the_next_session(
    tmp_path: Path,
) -> None:
    """An update cancelled mid-write (a shutdown, a lost lead): its INSERT may still run in
    aiosqlite's thread after the session was closed. SQLAlchemy 2.1 discards such a
    connection; the driver also never skips a rollback while a statement it handed to the
    thread has not finished."""
    # One pooled connection, so the next session would get the same one.
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'one.sqlite3'}", pool_size=1)
    async with engine.begin() as connection:
        await connection.run_sync(_metadata.create_all)
    sessionmaker = make_sessionmaker(engine)
    held = threading.Event()
    try:
        async with sessionmaker() as session:
            raw = await (await session.connection()).get_raw_connection()
            driver: aiosqlite.Connection = raw.driver_connection
        # aiosqlite's thread is busy, so the INSERT below waits in its queue; its caller gives
        # up (a cancelled update) before the thread gets to it.
        busy = asyncio.ensure_future(driver._execute(held.wait))

        async def write() -> None:
            async with sessionmaker() as session:
                await session.execute(insert(_families).values(code="ALM-0417"))
                await session.commit()

        writing = asyncio.create_task(write())
        await asyncio.sleep(0.05)
        writing.cancel()
        await asyncio.sleep(0.05)  # the session is closed meanwhile, its INSERT still queued
        held.set()
        with suppress(asyncio.CancelledError):
            await writing
        await busy

        async with sessionmaker() as session:
            await session.execute(insert(_families).values(code="ALM-0500"))
            await session.commit()
        async with sessionmaker() as session:
            codes = (await session.scalars(select(_families.c.code))).all()
        assert codes == ["ALM-0500"]
    finally:
        held.set()
        await engine.dispose()
