"""SQLAlchemy's aiosqlite adapter, with one trip to aiosqlite's thread per statement.

aiosqlite runs every call on a sqlite3 connection in a thread of its own and hands the result
back to the event loop: each trip costs about 0.1 ms on this machine, ten times a simple
statement in SQLite itself. SQLAlchemy's adapter makes four trips for a SELECT (open a cursor,
execute, fetch, close) and three for an INSERT, and every session that only read still makes
two more to roll back a transaction SQLite never opened. On the way from a /crisis to its
first alert that was about fifty trips (docs/benchmarks.md). Here a statement is one trip
(the cursor is opened, run, read and closed in the thread, as SQLAlchemy's asyncpg adapter
does in one round trip) and a commit or rollback with no transaction open makes none: sqlite3's
own commit() and rollback() do nothing then either.

Everything else is SQLAlchemy's dialect unchanged: passed as its DBAPI module (`module=`), so
the URL stays `sqlite+aiosqlite` and the same pool, locking and error mapping apply.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any, cast

import aiosqlite
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

_Outcome = tuple[Any, list[Any] | None, int, int | None]


def _run(
    adapted: _Connection,
    ticket: int,
    connection: sqlite3.Connection,
    operation: str,
    parameters: Any,
    many: bool,
) -> _Outcome:
    """In aiosqlite's thread: the whole statement, so that nothing else needs a trip."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()
        adapted.finished = ticket


class _Cursor(AsyncAdapt_aiosqlite_cursor):
    """Holds a finished statement's description, rows and counts; no sqlite3 cursor stays
    open between trips, so closing it costs nothing."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")
    _awaitable_cursor_close = False

    def __init__(self, adapt_connection: AsyncAdapt_dbapi_connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        return await self._trip(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        return await self._trip(operation, seq_of_parameters, many=True)

    async def _trip(self, operation: Any, parameters: Any, *, many: bool) -> None:
        adapted = cast(_Connection, self._adapt_connection)
        async with adapted._execute_mutex:
            connection = cast(aiosqlite.Connection, self._connection)
            raw = connection._conn
            adapted.issued += 1
            outcome: _Outcome = await connection._execute(
                _run, adapted, adapted.issued, raw, operation, parameters, many
            )
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows or ())

    async def _async_soft_close(self) -> None:
        return None  # the rows are in hand and nothing is open

    def close(self) -> None:
        self._rows.clear()

    def nextset(self) -> None:
        raise NotImplementedError("SQLite has one result set per statement")

    def setinputsizes(self, *inputsizes: Any) -> None:
        return None


class _Connection(AsyncAdapt_aiosqlite_connection):
    # Statements handed to the thread (counted on the event loop) and the last one it
    # finished (written by the thread): each side writes only its own.
    __slots__ = ("finished", "issued")
    _cursor_cls = _Cursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.issued = 0
        self.finished = 0

    def _may_be_in_transaction(self) -> bool:
        # A statement whose caller was cancelled may still be running in the thread and
        # begin a transaction there; until it has finished, the commit or rollback is sent.
        if self.finished != self.issued:
            return True
        # sqlite3_get_autocommit(), safe to read from any thread.
        raw: sqlite3.Connection | None = self._connection._connection
        return raw is not None and raw.in_transaction

    def rollback(self) -> None:
        if self._may_be_in_transaction():
            super().rollback()

    def commit(self) -> None:
        if self._may_be_in_transaction():
            super().commit()


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    """What SQLAlchemy's aiosqlite dialect gets as its DBAPI module (see the module)."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> _Connection:
        adapted = super().connect(*arg, **kw)
        return _Connection(self, adapted._connection)
