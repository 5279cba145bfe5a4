"""How fast a crisis alert reaches the coach on duty, and how late escalation steps fire,
with many alerts in flight. A real Application against the in-process Bot API stand-in, on
a temporary SQLite database and the real clock.

    .venv/bin/python -m benchmarks.alert_bench [--alerts N] [--in-flight N] [--wait S] [--tick S]
                                               [--unfrozen] [--updater] [--unknown-codes]

`--unfrozen` leaves the start-up heap to the garbage collector, as before bot/operations/heap.py.
`--updater` runs the same code with PTB's own Updater in place of the durable inbox (what
fetching was before the inbox), to see what the inbox adds.

(a) latency: the time from the stand-in queueing a `/crisis CODE text` update to the first
    alert message appearing in the piket coach's chat, one alert at a time, each for a
    family of its own that the bot knows (its coach away or not is looked up for the card;
    `--unknown-codes` for codes it does not know, as this benchmark measured before 27 Nov
    2026 at 07:37 UTC: a shorter path), while
    `--in-flight` other alerts keep escalating around the chain (repeat on);
(b) lateness: for every escalation step of those alerts, when its message appeared in the
    stand-in against the step's deadline (the previous step's time + its wait);
(c) the bot's share of (a): SQL statements and event-loop CPU time from the getUpdates
    answer with the /crisis to the sendMessage of its first alert (benchmarks/crisis_path.py),
    steadier than (a) on a shared machine;
(d) the bot's side of (a), timed in the stand-in: from its getUpdates answer with the /crisis
    being ready to the bot's sendMessage with the alert read and parsed. It holds everything
    (c) leaves out (both HTTP legs on loopback, the bot's HTTP client, the stand-in's encoding
    of the one answer and parsing of the other); what (a) adds to it is the stand-in's own work
    before and after, which Telegram's servers do in production.

Not a test: the figures depend on the machine. Write them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import platform
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from benchmarks import machine_speed
from benchmarks.case_bench import ptb_polling
from benchmarks.crisis_path import CrisisPath, traced
from benchmarks.remote_standin import stand_in
from bot import event_loop, schema
from bot.app import build_application
from bot.config.team import TeamConfig
from bot.db import make_engine, make_sessionmaker
from bot.models import Alert, AlertRecipient, Case, Coach, Phase, Role, SafetyStatus
from bot.operations.heap import settled as settled_heap
from bot.runtime import Runtime
from bot.scheduling.clock import SystemClock
from bot.services.alerts import lifecycle as alerts
from bot.services.team.coaches import add_coach
from bot.services.team.enrolment import create_invite, redeem
from bot.standin import BotApiStandIn
from bot.standin.methods import METHODS
from bot.transport.poller import serving

PEOPLE = {
    "Anna de Vries": (820001, Role.COACH),
    "Bram Jansen": (820002, Role.COACH),  # piket, around the clock
    "Eva Mulder": (820003, Role.COACH),  # the reporter
    "Fleur Visser": (820004, Role.COACH),  # second line
    "Sara Bakker": (820005, Role.TEAMLEAD),
}
BRAM, EVA = PEOPLE["Bram Jansen"][0], PEOPLE["Eva Mulder"][0]
PREFIX = "🚨 CRISISMELDING "
# In the measured alerts' sendMessage request (its JSON), not in the alerts in flight (BG-).
MARKER = b"CRISISMELDING M-"
DRIVER = "benchmarks.alert_bench"


def team_config(wait: float, tick: float, rounds: int) -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": {
                "office_hours": {"weekdays": []},  # piket all the time, whatever the hour
                "bureaudienst": {"members": ["Eva Mulder"], "shift": "week", "start": "2020-01-06"},
                "piket": {"members": ["Bram Jansen"], "shift": "day", "start": "2020-01-01"},
                "piket_second": {"members": ["Fleur Visser"], "start": "2020-01-06"},
            },
            "alerts": {
                "chain": [
                    {"to": "first", "wait": wait},
                    {"to": "second_line", "wait": wait},
                    {"to": "team_lead", "wait": wait},
                ],
                "repeat": True,
                "max_rounds": rounds,
                "tick": tick,
                # One reporter raises every alert here: the flood ceiling is not what is timed.
                "max_new_per_minute": 1000,
            },
        }
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    if not values:
        return "n=0"
    return (
        f"n={len(values)} mean={statistics.fmean(values):.1f} ms p50={pct(values, 50):.1f} ms "
        f"p99={pct(values, 99):.1f} ms max={max(values):.1f} ms"
    )


async def main(args: argparse.Namespace) -> None:
    # A tick that takes longer than the interval is skipped, and says so: not news here.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    config = team_config(args.wait, args.tick, args.rounds)
    workdir = Path(tempfile.mkdtemp(prefix="alert-bench-"))
    url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
    engine = make_engine(url)
    await schema.upgrade(engine)
    sessionmaker = make_sessionmaker(engine)
    now = datetime.now(UTC)
    async with sessionmaker() as session:
        coaches: dict[str, Coach] = {}
        for name, (user_id, role) in PEOPLE.items():
            coach = await add_coach(session, name=name, role=role, config=config, now=now)
            code, _ = await create_invite(session, coach, now=now, rules=config.enrolment)
            await redeem(
                session, telegram_user_id=user_id, raw_code=code, now=now, rules=config.enrolment
            )
            coaches[name] = coach
        session.add(
            Case(
                code="GZ-1042",
                coach_id=coaches["Anna de Vries"].id,
                phase=Phase.UITVOERING,
                safety_status=SafetyStatus.SAFETY_PLAN,
            )
        )
        if not args.unknown_codes:
            # The measured crises' families: one each, so that none joins the one before.
            session.add_all(
                Case(
                    code=f"M-{number}",
                    coach_id=coaches["Anna de Vries"].id,
                    backup_coach_id=coaches["Fleur Visser"].id,
                    phase=Phase.UITVOERING,
                    safety_status=SafetyStatus.SAFETY_PLAN,
                )
                for number in range(args.alerts)
            )
        await session.commit()
    reporter = coaches["Eva Mulder"]

    users = [(user_id, name.split()[0]) for name, (user_id, _) in PEOPLE.items()]
    speed_before = machine_speed.reference_ms()
    async with stand_in(users, in_process=args.in_process) as standin:
        await standin.run(f"{DRIVER}:record")
        (latencies, bot_side), path = await _run(args, config, engine, reporter, standin)
        shown = await standin.run(f"{DRIVER}:shown")
    speed_after = machine_speed.reference_ms()

    # (b) every escalation step's message against its deadline.
    waits = [step.wait.total_seconds() for step in config.alerts.chain]
    async with sessionmaker() as session:
        users = {c.id: c.telegram_user_id for c in await session.scalars(select(Coach))}
        rows = list(
            await session.execute(
                select(Alert.case_code, AlertRecipient)
                .join(AlertRecipient, AlertRecipient.alert_id == Alert.id)
                .where(Alert.case_code.like("BG-%"))
                .order_by(Alert.id, AlertRecipient.round, AlertRecipient.step)
            )
        )
    await engine.dispose()
    lateness: list[float] = []
    seen: dict[tuple[int, str], int] = defaultdict(int)
    previous: dict[str, AlertRecipient] = {}
    duplicates = 0
    for code, recipient in rows:
        key = (users[recipient.coach_id], code)
        index = seen[key]
        seen[key] += 1
        before = previous.get(code)
        previous[code] = recipient
        if index >= len(shown[key]):
            continue  # the step was due after the run ended
        if before is None:
            continue  # the first step has no deadline
        due = before.created_at.timestamp() + waits[before.step]
        lateness.append((shown[key][index] - due) * 1000)
    for key, times in shown.items():
        duplicates += max(0, len(times) - seen.get(key, 0)) if key[1].startswith("BG-") else 0
        if key[1].startswith("M-") and len(times) != 1:
            duplicates += len(times) - 1

    print(f"database: {engine.dialect.name}")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"machine speed: reference work {speed_before:.1f} ms before the run, "
        f"{speed_after:.1f} ms after (lower is faster; benchmarks/machine_speed.py)"
    )
    print(
        f"config: {args.in_flight} alerts in flight, chain first/second_line/team_lead "
        f"{args.wait:g} s each, repeat up to {args.rounds} rounds, alert tick {args.tick:g} s, "
        f"raised {'spread over one wait' if args.spread else 'at once'}; measured crises for "
        f"{'unknown codes' if args.unknown_codes else 'known families'}"
    )
    print(f"(a) /crisis -> first alert shown: {summary(latencies)}")
    print(f"(d) the bot's side of (a): {summary(bot_side)}")
    if path.statements:
        print(
            f"(c) the bot's share of (a), /crisis fetched -> its first sendMessage: "
            f"statements p50={pct(path.statements, 50):.0f} (max {max(path.statements)}), "
            f"event-loop CPU p50={pct(path.cpu_ms, 50):.1f} ms p90={pct(path.cpu_ms, 90):.1f} ms "
            f"p99={pct(path.cpu_ms, 99):.1f} ms, wall p50={pct(path.wall_ms, 50):.1f} ms "
            f"p90={pct(path.wall_ms, 90):.1f} ms p99={pct(path.wall_ms, 99):.1f} ms; "
            f"with a scheduler tick running: {len(path.with_tick_ms)}"
            + (f", wall p50={pct(path.with_tick_ms, 50):.1f} ms" if path.with_tick_ms else "")
        )
    else:
        print("(c) the bot's share of (a): n=0")
    print(f"(b) escalation step shown - deadline: {summary(lateness)}")
    for generations, label in (((0, 1), "young"), ((2,), "full")):
        pauses = [ms for generation, ms in path.collections if generation in generations]
        worst = f", longest {max(pauses):.1f} ms" if pauses else ""
        print(f"garbage collections in the bot's process, {label}: {len(pauses)}{worst}")
    print(f"duplicate alert messages: {duplicates}")


async def _run(
    args, config, engine, reporter, standin
) -> tuple[tuple[list[float], list[float]], CrisisPath]:
    """Runs the bot in this process while the driver in the stand-in's process raises alerts."""
    sessionmaker = make_sessionmaker(engine)
    runtime = Runtime(
        config=config, sessionmaker=sessionmaker, clock=SystemClock(), tick_seconds=3600.0
    )
    app = build_application(
        runtime, token=standin.token, base_url=standin.base_url, base_file_url=standin.base_file_url
    )
    # As `achtervang run` serves it: through the durable inbox (or, to compare, as PTB runs
    # it by itself, as before the inbox).
    polling = ptb_polling(app) if args.updater else serving(app, runtime, poll_timeout=1)
    async with contextlib.AsyncExitStack() as served:
        if not args.unfrozen:
            # As `achtervang run` serves: the start-up heap frozen (bot/operations/heap.py).
            served.enter_context(settled_heap())
        await served.enter_async_context(polling)
        # The alerts in flight: raised straight in the database, sent by the alert tick.
        # All at once (a burst: they escalate in the same tick) or spread over one wait.
        for number in range(args.in_flight):
            async with sessionmaker() as session:
                await alerts.raise_alert(
                    session,
                    config,
                    reporter=reporter,
                    code=f"BG-{number}",
                    text="achtergrond",
                    now=datetime.now(UTC),
                )
                await session.commit()
            if args.spread:
                await asyncio.sleep(args.wait / args.in_flight)
        await standin.run(f"{DRIVER}:wait_background", args.in_flight)
        # (a) one /crisis at a time, while the others escalate.
        with traced(app, engine, MARKER) as path:
            latencies = await standin.run(f"{DRIVER}:crisis_rounds", args.alerts, args.pace)
        # Let the in-flight alerts run a few more steps for (b).
        await asyncio.sleep(max(0.0, args.settle))
    return latencies, path


# --- the driver: runs in the stand-in's process ---------------------------------------------


class _Recorder:
    """Every alert message the stand-in stores, by (chat, case code), with wall-clock times
    (the bot's process reads its deadlines on the same clock)."""

    def __init__(self, standin: BotApiStandIn) -> None:
        self.shown: dict[tuple[int, str], list[float]] = defaultdict(list)
        self.last: dict[tuple[int, str], dict] = {}
        self.waiting: dict[tuple[int, str], asyncio.Event] = {}
        self.told: dict[str, asyncio.Event] = {}  # the reporter heard who took it
        world = standin._world  # the benchmark times messages as the stand-in stores them
        store = world.new_message

        def recording(chat, sender, content, date=None):
            message = store(chat, sender, content, date)
            text = content.get("text", "")
            chat_id = chat.info["id"]
            if text.startswith(PREFIX) and "edit_date" not in message:
                code = text.split("\n", 1)[0].removeprefix(PREFIX)
                self.shown[(chat_id, code)].append(time.time())
                self.last[(chat_id, code)] = message
                if (chat_id, code) in self.waiting:
                    self.waiting[(chat_id, code)].set()
            elif chat_id == EVA and "opgepakt" in text:
                for code, event in self.told.items():
                    if f" {code} " in text:
                        event.set()
            return message

        world.new_message = recording
        self._time_the_crises()

    def _time_the_crises(self) -> None:
        """When the stand-in hands a measured /crisis to the bot (its getUpdates answer is
        ready) and when the bot's alert for it comes in (its sendMessage, read and parsed):
        between the two is the bot's side of (a), and the rest is the stand-in's."""
        self.handed: dict[str, float] = {}
        self.came_in: dict[str, float] = {}
        get_updates, send_message = METHODS["getupdates"], METHODS["sendmessage"]

        async def timed_get_updates(world, params, uploads):
            updates = await get_updates(world, params, uploads)
            now = time.perf_counter()
            for update in updates:
                text = update.get("message", {}).get("text", "")
                if text.startswith("/crisis M-"):
                    self.handed.setdefault(text.split()[1], now)
            return updates

        def timed_send_message(world, params, uploads):
            text = str(params.get("text", ""))
            if text.startswith(PREFIX + "M-"):
                code = text.split("\n", 1)[0].removeprefix(PREFIX)
                self.came_in.setdefault(code, time.perf_counter())
            return send_message(world, params, uploads)

        METHODS["getupdates"], METHODS["sendmessage"] = timed_get_updates, timed_send_message


def _recorder(standin: BotApiStandIn) -> _Recorder:
    recorder = getattr(standin, "alert_bench_recorder", None)
    if recorder is None:
        recorder = standin.alert_bench_recorder = _Recorder(standin)
    return recorder


async def record(standin: BotApiStandIn) -> None:
    _recorder(standin)


async def wait_background(standin: BotApiStandIn, count: int) -> None:
    recorder = _recorder(standin)
    deadline = time.monotonic() + 30
    while sum(1 for (_, code) in recorder.shown if code.startswith("BG-")) < count:
        if time.monotonic() > deadline:
            raise RuntimeError("the alerts in flight were not sent within 30 s")
        await asyncio.sleep(0.01)


async def crisis_rounds(
    standin: BotApiStandIn, count: int, pace: float
) -> tuple[list[float], list[float]]:
    """One /crisis at a time; each is taken with the piket coach's button as soon as it shows,
    so the number in flight stays put. (a) for each, and the bot's side of it."""
    recorder = _recorder(standin)
    latencies, bot_side = [], []
    for number in range(count):
        code = f"M-{number}"
        shown = recorder.waiting[(BRAM, code)] = asyncio.Event()
        told = recorder.told[code] = asyncio.Event()
        started = time.perf_counter()
        await standin.send_message(EVA, f"/crisis {code} moeder belt")
        try:
            await asyncio.wait_for(shown.wait(), 30)
        except TimeoutError:
            # Say what the chats hold: a changed text or flow is then found at once.
            said = {
                who: [m.get("text", "")[:120] for m in standin.bot_messages(who)[-3:]]
                for who in (EVA, BRAM)
            }
            raise RuntimeError(f"no alert for {code} in 30 s; last bot messages: {said}") from None
        latencies.append((time.perf_counter() - started) * 1000)
        bot_side.append((recorder.came_in[code] - recorder.handed[code]) * 1000)
        message = recorder.last[(BRAM, code)]
        take = next(
            button["callback_data"]
            for row in message["reply_markup"]["inline_keyboard"]
            for button in row
            if button.get("callback_data", "").startswith("alert:take:")
        )
        await standin.press_button(BRAM, BRAM, message["message_id"], take)
        await asyncio.wait_for(told.wait(), 30)
        # Telegram allows 30 messages a second and the bot's rate limiter keeps to that;
        # alerts back to back would time the limiter's queue.
        await asyncio.sleep(pace)
    return latencies, bot_side


async def shown(standin: BotApiStandIn) -> dict[tuple[int, str], list[float]]:
    return dict(_recorder(standin).shown)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, default=200)
    parser.add_argument("--in-flight", type=int, default=100)
    parser.add_argument("--wait", type=float, default=10.0, help="each chain step's wait, s")
    parser.add_argument("--tick", type=float, default=1.0, help="alert tick (the backstop), s")
    parser.add_argument(
        "--spread", action="store_true", help="raise the alerts in flight over one wait"
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--database-url",
        help="an empty database to use (e.g. a throw-away PostgreSQL one); default: temp SQLite",
    )
    parser.add_argument(
        "--pace", type=float, default=0.2, help="seconds between the measured /crisis alerts"
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run the stand-in in the bot's process and event loop (the old set-up)",
    )
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to run on after (a)")
    parser.add_argument(
        "--unknown-codes",
        action="store_true",
        help="raise the measured crises for codes the bot does not know (the path before)",
    )
    parser.add_argument(
        "--unfrozen",
        action="store_true",
        help="leave the start-up heap to the garbage collector (to compare)",
    )
    parser.add_argument(
        "--updater",
        action="store_true",
        help="fetch with PTB's own Updater instead of the durable inbox (to compare)",
    )
    return parser.parse_args()


if __name__ == "__main__":
    event_loop.run(main(parse()))
