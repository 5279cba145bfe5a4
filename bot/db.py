"""Engine and session factory for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result, event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.operations.private_files import prepare_sqlite_file
from bot.sqlite_driver import OneTripDbapi


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    # A failed statement's parameters are case codes, crisis texts and Telegram ids: never in
    # an exception text, and so never in a log line.
    kwargs.setdefault("hide_parameters", True)
    if make_url(url).get_driver_name() == "aiosqlite":
        kwargs.setdefault("module", OneTripDbapi())
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        prepare_sqlite_file(engine.url.database)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    # SQLite ignores foreign keys unless asked; WAL lets the CLI read while the bot writes.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def rowcount(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched. Session.execute is typed to return a plain
    Result; for these statements SQLAlchemy returns a CursorResult, which alone counts rows."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(result).__name__} has no row count")
    return result.rowcount
