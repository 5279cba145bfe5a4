"""The bot's own share of a /crisis: from the getUpdates answer that brings it to the
sendMessage of its first alert, the SQL statements run and the event loop's CPU time; and the
garbage collector's pauses in the bot's process while it is traced.

On a shared VM the end-to-end latency of one run can move by half between runs; these two
figures move far less, so they show what a change to the crisis path did. The statements are
counted on the engine (everything run in that span, the inbox's store included), the CPU time
is the event loop thread's (time.thread_time), so other processes do not count. A /crisis
handled while a scheduler tick ran shares the event loop with it; those are counted apart."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.request import BaseRequest

from bot.application_type import TeamApplication
from bot.scheduling import jobs


@dataclass
class _Span:
    wall: float
    cpu: float
    statements: int = 0
    with_tick: bool = False


@dataclass
class CrisisPath:
    statements: list[int] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)
    # Wall time of the spans during which a scheduler tick ran at some point.
    with_tick_ms: list[float] = field(default_factory=list)
    open: _Span | None = None
    ticks_running: int = 0
    # Every garbage collection in this process meanwhile: (generation, pause in ms).
    collections: list[tuple[int, float]] = field(default_factory=list)
    _collecting: float = 0.0

    def collection(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._collecting = time.perf_counter()
        else:
            pause = (time.perf_counter() - self._collecting) * 1000
            self.collections.append((info["generation"], pause))

    def arrived(self) -> None:
        self.open = _Span(time.perf_counter(), time.thread_time(), with_tick=self.ticks_running > 0)

    def sending(self) -> None:
        span, self.open = self.open, None
        if span is not None:
            self.wall_ms.append((time.perf_counter() - span.wall) * 1000)
            self.cpu_ms.append((time.thread_time() - span.cpu) * 1000)
            self.statements.append(span.statements)
            if span.with_tick:
                self.with_tick_ms.append(self.wall_ms[-1])

    def tick_started(self) -> None:
        self.ticks_running += 1
        if self.open is not None:
            self.open.with_tick = True

    def tick_ended(self) -> None:
        self.ticks_running -= 1

    def statement(self, *_: Any) -> None:
        if self.open is not None:
            self.open.statements += 1


@contextmanager
def traced(app: TeamApplication, engine: AsyncEngine, marker: bytes) -> Iterator[CrisisPath]:
    """`marker`: bytes found in the first alert's sendMessage request and in no other."""
    path = CrisisPath()
    # The bot's two request objects (getUpdates has its own); private to PTB, fine for a probe.
    requests: tuple[BaseRequest, ...] = app.bot._request
    originals = [request.do_request for request in requests]

    def wrap(original: Any) -> Any:
        async def do_request(url: str, method: str, request_data: Any = None, **kw: Any) -> Any:
            endpoint = url.rsplit("/", 1)[-1]
            if endpoint == "sendMessage" and request_data is not None:
                if marker in request_data.json_payload:
                    path.sending()
            answer = await original(url, method, request_data, **kw)
            if endpoint == "getUpdates" and b"/crisis" in answer[1]:
                path.arrived()
            return answer

        return do_request

    def watched(tick: Any) -> Any:
        async def run(application: TeamApplication) -> None:
            path.tick_started()
            try:
                await tick(application)
            finally:
                path.tick_ended()

        return run

    ticks = (jobs.run_alert_tick, jobs.run_tick)
    for request, original in zip(requests, originals, strict=True):
        request.do_request = wrap(original)  # type: ignore[method-assign]
    event.listen(engine.sync_engine, "before_cursor_execute", path.statement)
    gc.callbacks.append(path.collection)
    # The job callbacks look these up in the module at every tick.
    jobs.run_alert_tick, jobs.run_tick = (watched(tick) for tick in ticks)
    try:
        yield path
    finally:
        jobs.run_alert_tick, jobs.run_tick = ticks
        gc.callbacks.remove(path.collection)
        event.remove(engine.sync_engine, "before_cursor_execute", path.statement)
        for request, original in zip(requests, originals, strict=True):
            request.do_request = original  # type: ignore[method-assign]
