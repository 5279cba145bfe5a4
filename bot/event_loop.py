"""The event loop everything of the bot runs on: uvloop where it is installed (it is a
dependency on Linux and macOS), asyncio's own elsewhere.

Every update, database trip and Telegram call of a /crisis passes through the loop many times:
aiosqlite alone hands each statement to its thread and wakes the loop when it is done. uvloop
does that work in C: 5-9 % less event-loop CPU per /crisis in alternating runs on this machine
one evening, nothing beyond the spread on a slower morning (docs/benchmarks.md). Nothing in the
bot may depend on the order in which timers with the same deadline fire, which uvloop does not
keep (the rate limiter's waiting requests form an explicit line for that reason). The tests run
on the same loop (tests/conftest.py), so what they prove holds for the loop in production."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

_T = TypeVar("_T")


def new_event_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:  # Windows: uvloop is not built for it
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def run(main: Coroutine[Any, Any, _T]) -> _T:
    """asyncio.run on the bot's loop."""
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        return runner.run(main)
