"""What the durable inbox adds to every update: storing its getUpdates batch (one insert and
one commit, before the update is handled) and marking it handled (one update and commit,
after the answer went out), on a SQLite file (or `--database-url`, an empty database).

    .venv/bin/python -m benchmarks.inbox_bench [--updates N] [--pace MS] [--postgres]

`--postgres` uses a throw-away database on the local server (created and dropped).

One update per batch, as when coaches write one message at a time; paced, so the figures are
not a queue. Not a test: the figures depend on the machine. Write them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from benchmarks.case_bench import PG_ADMIN
from bot import schema
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
    if not args.postgres:
        path = Path(tempfile.mkdtemp(prefix="inbox-bench-")) / "db.sqlite3"
        await measure(args, f"sqlite+aiosqlite:///{path}")
        return
    await pg_database(create=True)
    try:
        await measure(args, f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DB}")
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=500)
    parser.add_argument("--pace", type=float, default=20.0, help="ms between updates")
    parser.add_argument("--postgres", action="store_true")
    asyncio.run(main(parser.parse_args()))
