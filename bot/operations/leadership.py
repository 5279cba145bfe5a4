"""One active instance at a time.

On PostgreSQL the active instance holds a session-level advisory lock on a connection of its
own, kept open for as long as it runs: if the process dies (even SIGKILL) or that connection
is lost, PostgreSQL frees the lock and a standby instance, trying every few seconds, takes
over. The instance that lost its connection notices within a second or two and stops at once.
Every instance also holds a lock of its own id on that connection: whether that lock is held
tells recovery whether the instance that claimed an outbox row is still alive.

On SQLite one instance is all there is: an exclusive flock on a file next to the database
refuses a second one. The kernel drops the lock when the process ends, however it ends, so a
file left behind by a crash does not stop the next start.

Use:

    async with open_leadership(database_url) as leadership:
        while await leadership.acquire(stop):          # standby until active (or stop)
            ... run polling and the scheduler ...
            await leadership.lost()                    # returns when leadership is gone
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from bot.operations import instance
from bot.operations.status import STATUS, Role

log = logging.getLogger(__name__)

# Fixed for every Achtervang; advisory locks are per database, so installations sharing a
# PostgreSQL server do not meet.
LEADER_KEY = 0x41636874_7276616E  # "Achtrvan"
# A standby tries this often; a SIGKILLed leader's lock is free at once, so it takes over
# within this many seconds (plus the grace below).
RETRY_SECONDS = 2.0
# The active instance checks its connection this often, giving up on an answer after
# CHECK_TIMEOUT: it stops within their sum of losing the connection.
CHECK_SECONDS = 1.0
CHECK_TIMEOUT = 2.0


class AlreadyRunning(Exception):
    """Another instance uses this SQLite database."""

    def __init__(self, lock_path: Path) -> None:
        super().__init__(str(lock_path))
        self.lock_path = lock_path


class Leadership(Protocol):
    async def acquire(self, stop: asyncio.Event) -> bool:
        """Waits as standby until this instance is the active one (True) or `stop` is set."""
        ...

    async def lost(self) -> None:
        """Returns when this instance is no longer the active one."""
        ...

    async def release(self) -> None:
        """Gives up leadership now, so that a standby takes over."""
        ...


@asynccontextmanager
async def open_leadership(database_url: str) -> AsyncIterator[Leadership]:
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        leadership = PostgresLeadership(database_url)
        try:
            yield leadership
        finally:
            await leadership.close()
    else:
        with sqlite_single_instance(url.database) as leadership:
            yield leadership


class _SoleInstance:
    async def acquire(self, stop: asyncio.Event) -> bool:
        if stop.is_set():
            return False
        STATUS.set_role(Role.ACTIVE)
        return True

    async def lost(self) -> None:
        await asyncio.Event().wait()

    async def release(self) -> None:
        STATUS.set_role(Role.STOPPING)


@contextlib.contextmanager
def sqlite_single_instance(database: str | None):
    """An exclusive lock on `<database>.lock`, held while the process runs."""
    if not database or database == ":memory:":
        yield _SoleInstance()
        return
    lock_path = Path(database + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(lock_path) from None
        # For the operator's eyes only: which process holds it.
        os.ftruncate(fd, 0)
        os.write(fd, f"{instance.ID}\n".encode())
        yield _SoleInstance()
    finally:
        os.close(fd)  # releases the lock


class PostgresLeadership:
    def __init__(self, database_url: str) -> None:
        self._engine = create_async_engine(
            database_url,
            poolclass=NullPool,
            connect_args={"server_settings": {"application_name": f"achtervang {instance.ID}"}},
        )
        self._conn: AsyncConnection | None = None
        self._active = False
        self._lost = False

    async def _connection(self) -> AsyncConnection:
        if self._conn is None:
            conn = await self._engine.connect()
            # Autocommit: the connection stays open for days, never idle in a transaction.
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(
                text("SELECT pg_advisory_lock(:key)"), {"key": instance.lock_key(instance.ID)}
            )
            self._conn = conn
        return self._conn

    async def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.invalidate()
            with contextlib.suppress(Exception):
                await conn.close()

    async def _try_lock(self) -> bool:
        conn = await self._connection()
        result = await conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_KEY})
        return bool(result.scalar())

    async def acquire(self, stop: asyncio.Event) -> bool:
        waited = self._lost
        if self._lost:
            # The standby had the lock as soon as the connection was lost: give it the time
            # to take it rather than racing it back.
            self._lost = False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 2 * RETRY_SECONDS)
        while not stop.is_set():
            try:
                if await asyncio.wait_for(self._try_lock(), CHECK_TIMEOUT + RETRY_SECONDS):
                    break
                if STATUS.role != Role.STANDBY:
                    log.info("standby: another instance is active; taking over when it stops")
                STATUS.set_role(Role.STANDBY)
            except Exception as exc:  # the database is away: keep trying, report not ready
                if STATUS.role != Role.UNREACHABLE:
                    log.error("standby: cannot reach the database for leadership: %s", exc)
                STATUS.set_role(Role.UNREACHABLE)
                await self._drop_connection()
            waited = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RETRY_SECONDS)
        else:
            return False
        if waited:
            # An active instance that lost its connection (rather than died) needs this long to
            # notice and stop polling; taking over sooner could overlap with it.
            log.info("leadership acquired; taking over in %.0f s", CHECK_SECONDS + CHECK_TIMEOUT)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), CHECK_SECONDS + CHECK_TIMEOUT)
            if stop.is_set():
                await self.release()
                return False
        self._active = True
        STATUS.set_role(Role.ACTIVE)
        log.info("active: this instance polls Telegram and runs the scheduler")
        return True

    async def lost(self) -> None:
        while True:
            await asyncio.sleep(CHECK_SECONDS)
            try:
                conn = await self._connection()
                await asyncio.wait_for(conn.execute(text("SELECT 1")), CHECK_TIMEOUT)
            except Exception as exc:
                log.error("lost leadership: the database connection failed: %s", exc)
                self._active = False
                self._lost = True
                await self._drop_connection()
                STATUS.set_role(Role.UNREACHABLE)
                return

    async def release(self) -> None:
        if self._active and self._conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    self._conn.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": LEADER_KEY}
                    ),
                    CHECK_TIMEOUT,
                )
            log.info("leadership released")
        self._active = False
        STATUS.set_role(Role.STOPPING)

    async def close(self) -> None:
        await self._drop_connection()
        await self._engine.dispose()
