"""How long `/case CODE` takes through the Bot API stand-in, against a bare PTB echo bot on the
same stand-in (the floor: polling, HTTP and PTB with no work at all) and against the same echo
bot committing one audit row before it answers (the floor for an answer that is audited first).

    .venv/bin/python -m benchmarks.case_bench [--lookups N] [--rounds N] [--no-postgres]

For each database (SQLite file, PostgreSQL throwaway database created and dropped here) and
each team size (70 families / 10 coaches, 10,000 families / 500 coaches), in alternating
blocks: the echo bot answers N messages, the audited echo bot N more, then the real
Application answers N `/case CODE`
look-ups (half by the family's own coach: full card; half by another coach: contact only).
Times run from handing the update to the stand-in to the reply being stored in the chat.

Not a test: the figures depend on the machine. Write them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import random
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes, Updater

from benchmarks.remote_standin import stand_in
from bot import event_loop, schema
from bot.app import build_application
from bot.config.team import TeamConfig
from bot.db import make_engine, make_sessionmaker
from bot.models import (
    AbsenceKind,
    AbsenceRecord,
    Case,
    CaseCover,
    Coach,
    CoverStatus,
    Phase,
    Role,
    SafetyStatus,
)
from bot.runtime import Runtime
from bot.scheduling.clock import SystemClock
from bot.services.audit import trail as audit
from bot.standin import BotApiStandIn
from bot.transport.bot_api_http import AiohttpRequest
from bot.transport.poller import serving

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "achtervang_case_bench"
FIRST_USER = 830000
DRIVER = "benchmarks.case_bench:drive"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def team_config(coaches: int) -> TeamConfig:
    names = [f"Coach {n:03d}" for n in range(min(coaches, 10))]
    return TeamConfig.model_validate(
        {
            "duties": {
                "bureaudienst": {"members": names[:5], "shift": "week", "start": "2024-01-01"},
                "piket": {"members": names[5:], "shift": "day", "start": "2024-01-01"},
            }
        }
    )


async def seed(url: str, coaches: int, cases: int, config: TeamConfig) -> list[tuple[int, str]]:
    """The team and its families; returns (own coach's user id, code) per family."""
    engine = make_engine(url)
    await schema.upgrade(engine)
    now = datetime.now(UTC)
    rng = random.Random(7)
    async with engine.begin() as conn:
        await conn.execute(
            insert(Coach),
            [
                {
                    "id": n + 1,
                    "name": f"Coach {n:03d}",
                    "role": Role.TEAMLEAD if n == 0 else Role.COACH,
                    "fte": 1.0,
                    "caseload_limit": 10,
                    "language": "nl",
                    "telegram_user_id": FIRST_USER + n,
                    "enrolled_at": now,
                    "active": True,
                    "created_at": now,
                }
                for n in range(coaches)
            ],
        )
        rows = []
        for n in range(cases):
            own = n % coaches + 1
            rows.append(
                {
                    "id": n + 1,
                    "code": f"ALM-{n:05d}",
                    "coach_id": own,
                    "backup_coach_id": (own % coaches) + 1,
                    "phase": rng.choice(list(Phase)),
                    "start_date": date(2025, 1, 1) + timedelta(days=rng.randrange(600)),
                    "next_evaluation": date(2026, 1, 1) + timedelta(days=rng.randrange(400)),
                    "safety_status": rng.choice(list(SafetyStatus)),
                    "referrer": "Huisarts",
                    "last_contact": date(2026, 1, 1) + timedelta(days=rng.randrange(300)),
                }
            )
        await conn.execute(insert(Case), rows)
        # A few coaches away, with some of their families covered: the card shows both.
        away = list(range(2, coaches + 1, 25))
        await conn.execute(
            insert(AbsenceRecord),
            [
                {"coach_id": c, "kind": AbsenceKind.SICK, "start": now, "created_at": now}
                for c in away
            ],
        )
        await conn.execute(
            insert(CaseCover),
            [
                {
                    "case_id": r["id"],
                    "coach_id": (r["coach_id"] + 3) % coaches + 1,
                    "status": CoverStatus.ACCEPTED,
                    "asked_at": now,
                }
                for r in rows
                if r["coach_id"] in away
            ],
        )
    await engine.dispose()
    return [(FIRST_USER + r["coach_id"] - 1, r["code"]) for r in rows]


class Replies:
    """Signals when the bot stores a message in the chat being timed."""

    def __init__(self, standin: BotApiStandIn) -> None:
        self.chat: int | None = None
        self.event = asyncio.Event()
        world = standin._world  # timed where the stand-in stores the bot's message
        store = world.new_message
        bot_id = world.bot_user["id"]

        def recording(chat, sender, content, date=None):
            message = store(chat, sender, content, date)
            if sender["id"] == bot_id and chat.info["id"] == self.chat:
                self.event.set()
            return message

        world.new_message = recording

    async def exchange(
        self, standin: BotApiStandIn, user_id: int, text: str, pace: float
    ) -> tuple[float, float]:
        """When the message was queued and when the bot's answer was stored."""
        # Telegram allows a bot 30 messages a second, and PTB's AIORateLimiter holds the real
        # bot to that: look-ups back to back would time the limiter's queue, not the bot.
        await asyncio.sleep(pace)
        self.chat, self.event = user_id, asyncio.Event()
        queued = time.perf_counter()
        await standin.send_message(user_id, text)
        await asyncio.wait_for(self.event.wait(), 30)
        return queued, time.perf_counter()


def replies_of(standin: BotApiStandIn) -> Replies:
    """The stand-in's one Replies: a driver runs once per block, in the same process."""
    replies = getattr(standin, "case_bench_replies", None)
    if replies is None:
        replies = standin.case_bench_replies = Replies(standin)
    return replies


def users_of(coaches: int) -> list[tuple[int, str]]:
    return [(FIRST_USER + n, f"Coach{n}") for n in range(coaches)]


def lookups(
    rng: random.Random, families: list[tuple[int, str]], coaches: int, count: int
) -> list[tuple[int, str]]:
    """Half by the family's own coach (full card), half by someone else (contact only)."""
    items = []
    for number in range(count):
        own, code = rng.choice(families)
        user = own if number % 2 == 0 else FIRST_USER + rng.randrange(1, coaches)
        items.append((user, f"/case {code}"))
    return items


async def prepare(
    url: str, coaches: int, cases: int
) -> tuple[AsyncEngine, Runtime, list[tuple[int, str]]]:
    """The seeded database, an engine on it, the bot's runtime, and the families."""
    config = team_config(coaches)
    families = await seed(url, coaches, cases, config)
    engine = make_engine(url)
    runtime = Runtime(
        config=config,
        sessionmaker=make_sessionmaker(engine),
        clock=SystemClock(),
        tick_seconds=None,
    )
    return engine, runtime, families


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(update.effective_message.text)


def audited_echo(sessionmaker: async_sessionmaker[AsyncSession]):
    """The echo bot that first commits the audit row a look-up needs, as the real bot does
    (`audit.write` in a session, committed before the answer goes out): the floor for any
    answer that must leave a trail before it is given."""

    async def audited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        async with sessionmaker() as session:
            await audit.write(
                session,
                at=datetime.now(UTC),
                action="case.card",
                outcome="echo",
                telegram_id=update.effective_user.id,
                subject=message.text[:120],
            )
            await session.commit()
        await message.reply_text(message.text)

    return audited


_SERVING = "benchmark_serving"


def echo_bot(standin, callback) -> Application:
    # The bot's own HTTP client (bot/transport/bot_api_http.py): the floor has the same HTTP.
    bot = (
        ApplicationBuilder()
        .request(AiohttpRequest(connection_pool_size=256))
        .get_updates_request(AiohttpRequest())
        .token(standin.token)
        .base_url(standin.base_url)
        .base_file_url(standin.base_file_url)
        .build()
    )
    bot.add_handler(CommandHandler("case", callback))
    return bot


async def running(app: Application):
    if app.updater is None:
        # The real bot polls through the durable inbox, as `achtervang run` does.
        context = serving(app, app.bot_data["runtime"], poll_timeout=1)
        await context.__aenter__()
        app.bot_data[_SERVING] = context
        return
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()


@asynccontextmanager
async def ptb_polling(app: Application) -> AsyncIterator[None]:
    """The real bot as PTB runs an Application by itself, as it did before the durable inbox:
    PTB's Updater fetches, confirms and queues each update; nothing is stored first."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    updater = Updater(bot=app.bot, update_queue=app.update_queue)
    await updater.initialize()
    await updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    try:
        yield
    finally:
        await updater.stop()
        await updater.shutdown()
        await app.stop()
        await app.shutdown()


async def stopping(app: Application) -> None:
    context = app.bot_data.pop(_SERVING, None)
    if context is not None:
        await context.__aexit__(None, None, None)
        return
    await app.updater.stop()
    await app.stop()
    await app.shutdown()


async def drive(standin: BotApiStandIn, items: list[tuple[int, str]], pace: float) -> list[float]:
    """Runs in the stand-in's process: each message's round trip, in ms."""
    replies = replies_of(standin)
    times = [await replies.exchange(standin, user, text, pace) for user, text in items]
    return [(stored - queued) * 1000 for queued, stored in times]


async def measure(url: str, coaches: int, cases: int, args: argparse.Namespace) -> dict:
    engine, runtime, families = await prepare(url, coaches, cases)
    users = users_of(coaches)
    rng = random.Random(11)
    pace = args.pace / 1000
    figures: dict[str, list[float]] = {"floor": [], "audited": [], "case": []}
    try:
        async with stand_in(users, in_process=args.in_process) as standin:
            for _ in range(args.rounds):
                for key, callback in (
                    ("floor", echo),
                    ("audited", audited_echo(runtime.sessionmaker)),
                ):
                    bot = echo_bot(standin, callback)
                    items = [
                        (user, f"/case {code}")
                        for user, code in (rng.choice(families) for _ in range(args.lookups))
                    ]
                    await running(bot)
                    figures[key] += await standin.run(DRIVER, items, pace)
                    await stopping(bot)

                items = lookups(rng, families, coaches, args.lookups)
                app = build_application(
                    runtime,
                    token=standin.token,
                    base_url=standin.base_url,
                    base_file_url=standin.base_file_url,
                )
                await running(app)
                figures["case"] += await standin.run(DRIVER, items, pace)
                await stopping(app)
    finally:
        await engine.dispose()
    return figures


async def pg_database(create: bool) -> None:
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        if create:
            await conn.execute(f'CREATE DATABASE "{PG_DB}"')
    finally:
        await conn.close()


async def main(args: argparse.Namespace) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    sizes = [(10, 70), (500, 10_000)]
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="case-bench-"))
    backends = ["sqlite"] + ([] if args.no_postgres else ["postgresql"])
    for backend in backends:
        for coaches, cases in sizes:
            if backend == "sqlite":
                url = f"sqlite+aiosqlite:///{workdir / f'bench-{cases}.sqlite3'}"
            else:
                await pg_database(create=True)
                url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DB}"
            try:
                figures = await measure(url, coaches, cases, args)
            finally:
                if backend != "sqlite":
                    await pg_database(create=False)
            results.append((backend, coaches, cases, figures))

    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"{args.rounds} rounds of {args.lookups} echo messages, {args.lookups} audited echoes "
        f"and {args.lookups} /case look-ups"
    )
    print(
        "| database | families / coaches | echo p50 / p99 | echo + audit row p50 / p99 "
        "| /case p50 / p99 | /case ÷ echo p50 / p99 | /case ÷ echo + audit p50 / p99 |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for backend, coaches, cases, figures in results:
        f50, f99 = pct(figures["floor"], 50), pct(figures["floor"], 99)
        a50, a99 = pct(figures["audited"], 50), pct(figures["audited"], 99)
        c50, c99 = pct(figures["case"], 50), pct(figures["case"], 99)
        print(
            f"| {backend} | {cases:,} / {coaches} | {f50:.1f} / {f99:.1f} ms "
            f"| {a50:.1f} / {a99:.1f} ms | {c50:.1f} / {c99:.1f} ms "
            f"| {c50 / f50:.2f}× / {c99 / f99:.2f}× | {c50 / a50:.2f}× / {c99 / a99:.2f}× |"
        )


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lookups", type=int, default=200, help="per block")
    parser.add_argument("--rounds", type=int, default=2, help="echo/case block pairs")
    parser.add_argument(
        "--pace", type=float, default=50, help="ms between look-ups (Telegram allows 30/s)"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run the stand-in in the bot's process and event loop (the old set-up)",
    )
    return parser.parse_args()


if __name__ == "__main__":
    event_loop.run(main(parse()))
