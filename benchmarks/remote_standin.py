"""The Bot API stand-in in a process of its own, for benchmarks.

In production Telegram's servers are elsewhere; a stand-in inside the bot's process runs its
HTTP server, JSON handling and message store on the bot's event loop, and every one of its
milliseconds lands in the bot's figures. Here the stand-in runs in a child process, and so
does the code that plays the users (a "driver": an async function given the in-process
`BotApiStandIn` there), so that times are taken where Telegram would see them: from an update
being queued to the bot's answer being stored.

    async with RemoteStandIn(users) as remote:
        app = build_application(..., base_url=remote.base_url, ...)
        ...
        result = await remote.run("benchmarks.case_bench:drive", lookups, pace)
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import traceback
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Self

from bot.standin import BotApiStandIn


class RemoteStandIn:
    def __init__(self, users: list[tuple[int, str]]) -> None:
        self._users = users
        self._conn: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self.base_url = ""
        self.base_file_url = ""
        self.token = ""

    async def __aenter__(self) -> Self:
        # spawn: a fresh interpreter, nothing inherited from the bot's loop or database.
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self._process = context.Process(target=_child, args=(child, self._users), daemon=True)
        self._process.start()
        self._conn = parent
        self.token, self.base_url, self.base_file_url = await self._receive()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._conn is not None:
            self._conn.send(None)
            await self._receive()
            self._conn.close()
        if self._process is not None:
            await asyncio.to_thread(self._process.join, 10)

    async def run(self, target: str, *args: Any) -> Any:
        """Awaits `module:function(standin, *args)` in the stand-in's process; its result."""
        assert self._conn is not None
        self._conn.send((target, args))
        return await self._receive()

    async def _receive(self) -> Any:
        assert self._conn is not None
        # The bot's loop keeps running while the driver works.
        ok, value = await asyncio.to_thread(self._conn.recv)
        if not ok:
            raise RuntimeError(f"driver failed in the stand-in's process:\n{value}")
        return value


def _child(conn: Connection, users: list[tuple[int, str]]) -> None:
    asyncio.run(_serve(conn, users))


async def _started(users: list[tuple[int, str]]) -> BotApiStandIn:
    """A running stand-in where each user has opened a private chat with the bot."""
    standin = BotApiStandIn()
    await standin.start()
    for user_id, name in users:
        standin.add_user(user_id, name)
        standin.open_chat(user_id)
    return standin


async def _call(standin: BotApiStandIn, target: str, args: tuple) -> Any:
    module, _, name = target.partition(":")
    return await getattr(importlib.import_module(module), name)(standin, *args)


async def _serve(conn: Connection, users: list[tuple[int, str]]) -> None:
    standin = await _started(users)
    conn.send((True, (standin.token, standin.base_url, standin.base_file_url)))
    try:
        while (job := await asyncio.to_thread(conn.recv)) is not None:
            try:
                result = await _call(standin, *job)
            except Exception:
                conn.send((False, traceback.format_exc()))
            else:
                conn.send((True, result))
    finally:
        await standin.stop()
        conn.send((True, None))


class LocalStandIn:
    """The same interface with the stand-in in the bot's own process (the old set-up, kept to
    show how much of a figure is the stand-in's)."""

    def __init__(self, users: list[tuple[int, str]]) -> None:
        self._users = users

    async def __aenter__(self) -> Self:
        self._standin = await _started(self._users)
        self.token = self._standin.token
        self.base_url = self._standin.base_url
        self.base_file_url = self._standin.base_file_url
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._standin.stop()

    async def run(self, target: str, *args: Any) -> Any:
        return await _call(self._standin, target, args)


def stand_in(users: list[tuple[int, str]], *, in_process: bool) -> RemoteStandIn | LocalStandIn:
    return LocalStandIn(users) if in_process else RemoteStandIn(users)
