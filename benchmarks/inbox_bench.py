"""What the durable inbox adds to every update, on a SQLite file (`--postgres`: a throw-away
database on the local server, created and dropped).

    .venv/bin/python -m benchmarks.inbox_bench [--updates N] [--pace MS] [--postgres]
                                               [--lookups N] [--rounds N]

(a) Its two writes alone: storing a getUpdates batch (one insert and one commit, which the
update's handling waits for before it does anything) and marking an update handled that
wrote nothing (one update and commit, after the answer went out; an update that wrote
something is marked in its own commit). One update per batch, as when coaches write one
message at a time; paced, so the figures are not a queue.

(b) The `/case CODE` round trip of the same code (70 families, 10 coaches) fetched by PTB's own
Updater, as before the inbox, and through the durable inbox, in alternating blocks, 50 ms
apart (under Telegram's 30 messages a second), through the stand-in in a process of its own.

Not a test: the figures depend on the machine. Write them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import platform
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from benchmarks import case_bench
from benchmarks.case_bench import PG_ADMIN
from benchmarks.remote_standin import stand_in
from bot import event_loop, schema
from bot.app import build_application
from bot.db import make_engine, make_sessionmaker
from bot.transport import inbox_store as inbox

PG_DB = "achtervang_inbox_bench"


async def pg_database(create: bool) -> None:
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        if create:
            await conn.execute(f'CREATE DATABASE "{PG_DB}"')
    finally:
        await conn.close()


def update(update_id: int) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_795_000_000,
            "chat": {"id": 700001, "type": "private", "first_name": "Anna"},
            "from": {"id": 700001, "is_bot": False, "first_name": "Anna", "language_code": "nl"},
            "text": "/case GZ-1042",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    at = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {at(0.5):.2f} ms, p99 {at(0.99):.2f} ms, max {ordered[-1]:.2f} ms"


async def main(args: argparse.Namespace) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not args.postgres:
        workdir = Path(tempfile.mkdtemp(prefix="inbox-bench-"))
        await measure(args, f"sqlite+aiosqlite:///{workdir / 'writes.sqlite3'}")
        await round_trips(args, f"sqlite+aiosqlite:///{workdir / 'case.sqlite3'}")
        return
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DB}"
    for part in (measure, round_trips):
        await pg_database(create=True)
        try:
            await part(args, url)
        finally:
            await pg_database(create=False)


async def measure(args: argparse.Namespace, url: str) -> None:
    engine = make_engine(url)
    await schema.upgrade(engine)
    sessionmaker = make_sessionmaker(engine)
    stored, marked = [], []
    try:
        for n in range(1, args.updates + 1):
            start = time.perf_counter()
            async with sessionmaker() as session:
                await inbox.store_batch(session, [update(n)], datetime.now(UTC))
                await session.commit()
            stored.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            async with sessionmaker() as session:
                await inbox.mark_handled(session, [n], datetime.now(UTC))
                await session.commit()
            marked.append((time.perf_counter() - start) * 1000)
            await asyncio.sleep(args.pace / 1000)
    finally:
        await engine.dispose()
    print(
        f"machine: {platform.platform()}, Python {platform.python_version()}, {engine.dialect.name}"
    )
    print(f"{args.updates} updates, one per batch, {args.pace:g} ms apart")
    print(f"store batch + commit (before handling): {summary(stored)}")
    print(f"mark handled + commit (after answering): {summary(marked)}")


async def round_trips(args: argparse.Namespace, url: str) -> None:
    coaches = 10
    engine, runtime, families = await case_bench.prepare(url, coaches, 70)
    rng = random.Random(7)
    figures: dict[str, list[float]] = {"updater": [], "inbox": []}
    try:
        async with stand_in(case_bench.users_of(coaches), in_process=False) as standin:
            for _ in range(args.rounds):
                for mode in figures:
                    app = build_application(
                        runtime,
                        token=standin.token,
                        base_url=standin.base_url,
                        base_file_url=standin.base_file_url,
                    )
                    items = case_bench.lookups(rng, families, coaches, args.lookups)
                    if mode == "inbox":
                        await case_bench.running(app)
                        figures[mode] += await standin.run(case_bench.DRIVER, items, 0.05)
                        await case_bench.stopping(app)
                    else:
                        async with case_bench.ptb_polling(app):
                            figures[mode] += await standin.run(case_bench.DRIVER, items, 0.05)
    finally:
        await engine.dispose()
    print(f"/case round trip, the same code, {args.rounds} × {args.lookups} look-ups per way:")
    print(f"  fetched by PTB's Updater (no inbox): {summary(figures['updater'])}")
    print(f"  through the durable inbox:           {summary(figures['inbox'])}")
    added = [
        case_bench.pct(figures["inbox"], q) - case_bench.pct(figures["updater"], q)
        for q in (50, 99)
    ]
    print(f"  the inbox adds: {added[0]:.2f} ms at p50, {added[1]:.2f} ms at p99")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=500)
    parser.add_argument("--pace", type=float, default=20.0, help="ms between updates")
    parser.add_argument("--lookups", type=int, default=200, help="per block, in (b)")
    parser.add_argument("--rounds", type=int, default=2, help="block pairs, in (b)")
    parser.add_argument("--postgres", action="store_true")
    event_loop.run(main(parser.parse_args()))
