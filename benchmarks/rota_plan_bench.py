"""How long a team lead waits for `/rota plan <day> 13w`: a 13-week roster proposed for a team
of 10 and of 60 coaches.

    .venv/bin/python -m benchmarks.rota_plan_bench [--teams 10,60] [--runs N] [--url URL]

(a) the planner alone (bot/services/rosters/proposal.py): slots, greedy fill, improvement;
(b) the whole service call (plans.propose): the roster of the 8 weeks before and the 13 weeks
    (rotations, absences) read from the database, the planner, and the plan's shifts stored.

Each team: everyone in bureaudienst and piket (by the day), a fifth also in piket_second (by the
week), fte 0.5–1.0, a third working four days, one in five with two weeks of leave, and the rest
rule "no bureaudienst within 11 hours after piket". Not a test: write the figures into
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bot import schema
from bot.config.team import TeamConfig
from bot.db import make_engine, make_sessionmaker
from bot.models import AbsenceKind, AbsenceRecord, Coach, Role
from bot.services.rosters import plans, proposal
from bot.services.rosters.core import Absence

FIRST = date(2027, 1, 4)
WEEKS = 13
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
FOUR_DAYS = (frozenset({1, 2, 3, 4}), frozenset({2, 3, 4, 5}), frozenset({1, 2, 4, 5}))


def team(size: int, seed: int = 7):
    rng = random.Random(seed)
    names = [f"Coach {n:02d}" for n in range(size)]
    second = names[: max(2, size // 5)]
    config = TeamConfig.model_validate(
        {
            "duties": {
                "bureaudienst": {"members": names, "shift": "day", "start": "2026-01-05"},
                "piket": {"members": names, "shift": "day", "start": "2026-01-05"},
                "piket_second": {"members": second, "shift": "week", "start": "2026-01-05"},
                "rest_rules": [{"after": "piket", "before": "bureaudienst", "min_rest_hours": 11}],
            }
        }
    )
    people, absences = [], []
    for number, name in enumerate(names):
        duties = {"bureaudienst", "piket"} | ({"piket_second"} if name in second else set())
        workdays = rng.choice(FOUR_DAYS) if number % 3 == 0 else None
        people.append(
            proposal.Person(
                name, rng.choice([0.5, 0.6, 0.8, 0.9, 1.0]), frozenset(duties), workdays
            )
        )
        if number % 5 == 0:
            start = datetime.combine(FIRST + timedelta(days=rng.randrange(80)), datetime.min.time())
            start = start.replace(tzinfo=UTC)
            absences.append(Absence(name, start, start + timedelta(days=14)))
    return config, people, absences


def pure(size: int, runs: int) -> list[float]:
    config, people, absences = team(size)
    until = FIRST + timedelta(weeks=WEEKS)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        result = proposal.propose(config, people, FIRST, until, absences)
        times.append(time.perf_counter() - began)
    print(
        f"  planner alone, {size} coaches: {len(result.assignments)} slots, {len(result.gaps)} gaps"
    )
    return times


async def service(size: int, runs: int, url: str) -> list[float]:
    config, people, absences = team(size)
    engine = make_engine(url)
    await schema.upgrade(engine)
    async with engine.begin() as conn:
        await conn.execute(
            insert(Coach),
            [
                {
                    "id": n + 1,
                    "name": p.name,
                    "role": Role.TEAMLEAD if n == 0 else Role.COACH,
                    "fte": p.fte,
                    "caseload_limit": 10,
                    "language": "nl",
                    "active": True,
                    "workdays": ",".join(
                        ("mon", "tue", "wed", "thu", "fri")[d - 1] for d in sorted(p.workdays)
                    )
                    if p.workdays
                    else None,
                    "created_at": NOW,
                }
                for n, p in enumerate(people)
            ],
        )
        ids = {p.name: n + 1 for n, p in enumerate(people)}
        await conn.execute(
            insert(AbsenceRecord),
            [
                {
                    "coach_id": ids[a.name],
                    "kind": AbsenceKind.LEAVE,
                    "start": a.start,
                    "end": a.end,
                    "created_at": NOW,
                }
                for a in absences
            ],
        )
    sessionmaker = make_sessionmaker(engine)
    request = plans.PlanRequest(FIRST, WEEKS)
    times = []
    for _ in range(runs):
        async with sessionmaker() as session:
            lead = await session.get(Coach, 1)
            began = time.perf_counter()
            await plans.propose(session, config, lead, request, NOW)
            await session.commit()
            times.append(time.perf_counter() - began)
    await engine.dispose()
    return times


def show(label: str, times: list[float]) -> None:
    print(
        f"{label}: mean {statistics.mean(times):.3f} s, best {min(times):.3f} s, "
        f"worst {max(times):.3f} s ({len(times)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", default="10,60")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file per team)")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}")
    for size in (int(s) for s in args.teams.split(",")):
        show(f"(a) planner, {size} coaches, {WEEKS} weeks", pure(size, args.runs))
        with tempfile.TemporaryDirectory() as folder:
            url = args.url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            times = asyncio.run(service(size, args.runs, url))
        show(f"(b) plans.propose, {size} coaches, {WEEKS} weeks", times)


if __name__ == "__main__":
    main()
