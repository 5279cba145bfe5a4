"""Telegram's flood limits, with a crisis that has reached nobody yet going first.

PTB's AIORateLimiter keeps the bot to Telegram's 30 messages a second, but serves waiting
requests in the order they came: a new crisis's first alert, sent while a burst of escalations
or notices waits for the limiter (after a Telegram outage, say), would wait its turn behind
them, a third of a second or more. Here a request marked URGENT goes to the limiter at once;
every other request waits outside it until no urgent one is pending and the limiter has room,
so none of them is ever queued ahead of an urgent one. Urgent requests still count against
the limit."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, Final

from telegram.ext import AIORateLimiter

# rate_limit_args for a request that goes ahead of the queue.
URGENT: Final = "urgent"
JSONDict = dict[str, Any]


class UrgentFirstRateLimiter(AIORateLimiter):
    def __init__(self, overall_max_rate: float = 30, overall_time_period: float = 1) -> None:
        super().__init__(overall_max_rate=overall_max_rate, overall_time_period=overall_time_period)
        # How often a waiting request looks for room again: one request's share of the limit.
        self._pace = overall_time_period / overall_max_rate
        self._urgent = 0
        self._no_urgent = asyncio.Event()
        self._no_urgent.set()
        # Requests waiting for room, oldest first. Only the oldest looks for room: if each
        # polled on its own timer, their order would be the order the timers fire in, which
        # an event loop with millisecond timers (uvloop) does not keep for equal deadlines.
        self._waiting: deque[asyncio.Future[None]] = deque()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | JSONDict | list[JSONDict]:
        if rate_limit_args == URGENT:
            self._urgent += 1
            self._no_urgent.clear()
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, None)
            finally:
                self._urgent -= 1
                if not self._urgent:
                    self._no_urgent.set()
        # Only what the limiter limits (a request to a chat) can hold up an urgent one.
        if data.get("chat_id") is not None:
            await self._wait_for_room()
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )

    async def _wait_for_room(self) -> None:
        # Returns only when the limiter would let the request through at once: from there on
        # there is no await before it takes its share, so nothing can overtake it meanwhile.
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            if self._waiting[0] is not turn:
                await turn
            limiter = self._base_limiter
            while True:
                await self._no_urgent.wait()
                if limiter is None or limiter.has_capacity():
                    return
                await asyncio.sleep(self._pace)
        finally:
            # Leaving, done or cancelled, hands the turn to the next in line. The one leaving
            # with room takes its share before the next one runs, so the next looks at the
            # limiter as it will be.
            self._waiting.remove(turn)
            if self._waiting and not self._waiting[0].done():
                self._waiting[0].set_result(None)
