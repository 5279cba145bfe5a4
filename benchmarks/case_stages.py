"""Where a `/case CODE` round trip spends its time: the moments a look-up passes in the bot's
process, against the moment the stand-in queued the update, on a SQLite file (or
`--database-url`) with 70 families.

    .venv/bin/python -m benchmarks.case_stages [--lookups N] [--pace MS] [--echo]

The stand-in runs in a process of its own (as in `case_bench`); both processes read the same
monotonic clock, so the bot's moments line up with the stand-in's. The moments are taken by
wrapping PTB's getUpdates, update processing and HTTP requests, and the access gate and the
`/case` handler, in this process only. `--echo` times the bare echo bot instead.

Not a test: the figures depend on the machine. Write them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import logging
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram.ext import Application, ExtBot

from benchmarks import case_bench
from benchmarks.remote_standin import stand_in
from bot import event_loop
from bot.app import build_application
from bot.handlers import access, case_card
from bot.standin import BotApiStandIn
from bot.transport.bot_api_http import AiohttpRequest

DRIVER = "benchmarks.case_stages:drive"
STAGES = (
    ("update fetched", "fetched"),
    ("gate entered", "gate"),
    ("gate passed", "gated"),
    ("handler entered", "handler"),
    ("sendMessage requested", "send"),
    ("sendMessage answered", "sent"),
)
_moments: list[tuple[str, float]] = []


def _mark(name: str) -> None:
    _moments.append((name, time.perf_counter()))


def _timed(callback: Callable[..., Awaitable], before: str, after: str | None = None):
    async def timed(*args, **kwargs):
        _mark(before)
        try:
            return await callback(*args, **kwargs)
        finally:
            if after:
                _mark(after)

    return timed


def _instrument() -> None:
    """Wraps the points a look-up passes; before the Application is built, so the gate and the
    handler it registers are the wrapped ones."""
    get_updates = ExtBot.get_updates

    async def fetching(self, *args, **kwargs):
        updates = await get_updates(self, *args, **kwargs)
        if updates:
            _mark("fetched")
        return updates

    ExtBot.get_updates = fetching
    do_request = AiohttpRequest.do_request

    async def requesting(self, url, method, *args, **kwargs):
        sending = url.endswith("/sendMessage")
        if sending:
            _mark("send")
        result = await do_request(self, url, method, *args, **kwargs)
        if sending:
            _mark("sent")
        return result

    AiohttpRequest.do_request = requesting  # type: ignore[method-assign]
    access.gate = _timed(access.gate, "gate", "gated")
    handler = case_card.HANDLERS[0]
    handler.callback = _timed(handler.callback, "handler")


async def drive(
    standin: BotApiStandIn, items: list[tuple[int, str]], pace: float
) -> list[tuple[float, float]]:
    """Runs in the stand-in's process: per look-up, when it was queued and when the answer
    was stored."""
    replies = case_bench.replies_of(standin)
    return [await replies.exchange(standin, user, text, pace) for user, text in items]


def _per_lookup() -> list[dict[str, float]]:
    lookups: list[dict[str, float]] = []
    for name, at in _moments:
        if name == "fetched":
            lookups.append({})
        if lookups and name not in lookups[-1]:
            lookups[-1][name] = at
    return lookups


async def main(args: argparse.Namespace) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    _instrument()
    url = args.database_url or (
        f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='case-stages-')) / 'db.sqlite3'}"
    )
    coaches = 10
    engine, runtime, families = await case_bench.prepare(url, coaches, 70)
    items = case_bench.lookups(random.Random(5), families, coaches, args.lookups)
    try:
        async with stand_in(case_bench.users_of(coaches), in_process=False) as standin:
            app: Application
            if args.echo:
                app = case_bench.echo_bot(standin, case_bench.echo)
            else:
                app = build_application(
                    runtime,
                    token=standin.token,
                    base_url=standin.base_url,
                    base_file_url=standin.base_file_url,
                )
            await case_bench.running(app)
            _moments.clear()
            times = await standin.run(DRIVER, items, args.pace / 1000)
            await case_bench.stopping(app)
    finally:
        await engine.dispose()

    print(f"{'echo bot' if args.echo else '/case'}: {len(times)} look-ups, ms after queueing")
    print("| moment | p50 | p90 |")
    print("|---|---:|---:|")
    lookups = _per_lookup()
    if len(lookups) != len(times):
        print(f"(warning: {len(lookups)} fetches for {len(times)} look-ups; moments misaligned)")
    for label, key in STAGES:
        offsets = [
            (moments[key] - queued) * 1000
            for (queued, _), moments in zip(times, lookups, strict=False)
            if key in moments
        ]
        if offsets:
            _row(label, offsets)
    _row("answer stored", [(done - queued) * 1000 for queued, done in times])


def _row(label: str, offsets: list[float]) -> None:
    print(f"| {label} | {case_bench.pct(offsets, 50):.1f} | {case_bench.pct(offsets, 90):.1f} |")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--pace", type=float, default=50, help="ms between look-ups")
    parser.add_argument("--echo", action="store_true", help="time the bare echo bot")
    parser.add_argument("--database-url", help="an empty database (default: a SQLite file)")
    return parser.parse_args()


if __name__ == "__main__":
    event_loop.run(main(parse()))
