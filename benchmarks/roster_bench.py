"""How fast the pure roster answers, on a team with two years of history.

    .venv/bin/python -m benchmarks.roster_bench [--queries N] [--repeat N] [--rounds N] [--seed N]

(a) who is on duty (roster.holder_at) at random instants within the two years, with and
    without 1,000 overrides spread over them;
(b) one month's roster: every duty's shifts (RosterState.all_shifts) and the .ics for them.

Not a test: the figures depend on the machine. Write them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config.duties import DUTIES
from bot.config.team import TeamConfig
from bot.i18n import translator
from bot.services.rosters import core as roster
from bot.services.rosters.core import Override
from bot.services.rosters.ics import shifts_overlapping, to_ics
from bot.services.rosters.store import RosterState

AMS = ZoneInfo("Europe/Amsterdam")
MEMBERS = [f"Coach {i:02d}" for i in range(1, 11)]
# The benchmark's "today"; the rotations started two years before it.
TODAY = datetime(2026, 11, 23, 9, 0, tzinfo=AMS).astimezone(UTC)
HISTORY = timedelta(days=730)
OVERRIDES = 1_000


def team_config() -> TeamConfig:
    start = (TODAY - HISTORY).astimezone(AMS).date()
    return TeamConfig.model_validate(
        {
            "duties": {
                "bureaudienst": {"members": MEMBERS, "shift": "week", "start": start},
                "piket": {"members": MEMBERS, "shift": "day", "start": start},
                "piket_second": {"members": MEMBERS[::-1], "shift": "week", "start": start},
            }
        }
    )


def random_instant(rng: random.Random) -> datetime:
    return TODAY - HISTORY + timedelta(seconds=rng.uniform(0, HISTORY.total_seconds()))


def random_overrides(rng: random.Random, n: int) -> list[Override]:
    """Swaps and cover of one hour to three days, anywhere in the two years."""
    overrides = []
    for _ in range(n):
        start = random_instant(rng).replace(minute=0, second=0, microsecond=0)
        length = timedelta(hours=rng.randint(1, 72))
        overrides.append(Override(rng.choice(DUTIES), rng.choice(MEMBERS), start, start + length))
    return overrides


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def timed(work: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter_ns()
    work()
    return (time.perf_counter_ns() - started) / 1e6


def summary(label: str, millis: list[float]) -> str:
    ordered = sorted(millis)
    return (
        f"{label:44} n={len(ordered):5}  mean {statistics.fmean(ordered):7.3f} ms  "
        f"p50 {percentile(ordered, 0.5):7.3f} ms  p99 {percentile(ordered, 0.99):7.3f} ms  "
        f"max {ordered[-1]:7.3f} ms"
    )


def best_round(rounds: int, run: Callable[[], list[float]]) -> list[float]:
    """The round with the lowest mean: other processes on a shared machine only add time."""
    return min((run() for _ in range(rounds)), key=statistics.fmean)


def bench_holder_at(
    config: TeamConfig, overrides: list[Override], queries: int, seed: int, rounds: int
) -> list[float]:
    rng = random.Random(seed)
    asks = [(rng.choice(DUTIES), random_instant(rng)) for _ in range(queries)]
    for duty, instant in asks[:50]:  # warm the holiday cache
        roster.holder_at(config, duty, instant, overrides)
    return best_round(
        rounds,
        lambda: [
            timed(lambda d=d, i=i: roster.holder_at(config, d, i, overrides)) for d, i in asks
        ],
    )


def bench_month(
    config: TeamConfig, overrides: list[Override], repeat: int, rounds: int
) -> dict[str, object]:
    state = RosterState(config, overrides, [])
    tr = translator("nl", config.tz)
    start = datetime(2026, 10, 1, tzinfo=AMS).astimezone(UTC)  # October: clocks go back
    end = datetime(2026, 11, 1, tzinfo=AMS).astimezone(UTC)
    shifts = state.all_shifts(start, end)
    uncut = shifts_overlapping(state, start, end)
    ics = to_ics(tr, uncut, name="Benchmark", stamp=TODAY)
    steps: dict[str, Callable[[], object]] = {
        "all_shifts": lambda: state.all_shifts(start, end),
        "export_shifts": lambda: shifts_overlapping(state, start, end),
        "ics": lambda: to_ics(tr, uncut, name="Benchmark", stamp=TODAY),
    }
    timings = {
        name: best_round(rounds, lambda step=step: [timed(step) for _ in range(repeat)])
        for name, step in steps.items()
    }
    return {"shifts": len(shifts), "events": len(uncut), "ics_bytes": len(ics), **timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=2_000, help="holder_at calls per case")
    parser.add_argument("--repeat", type=int, default=30, help="runs of each month step")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the fastest is shown")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()

    config = team_config()
    overrides = random_overrides(random.Random(args.seed), OVERRIDES)
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(
        f"{len(MEMBERS)} members; piket by the day, bureaudienst and piket_second by the week; "
        f"rotations from {date.isoformat((TODAY - HISTORY).astimezone(AMS).date())}"
    )
    print("\n(a) holder_at, random duty and instant within the two years")
    print(
        summary("no overrides", bench_holder_at(config, [], args.queries, args.seed, args.rounds))
    )
    print(
        summary(
            f"{OVERRIDES} overrides",
            bench_holder_at(config, overrides, args.queries, args.seed, args.rounds),
        )
    )
    month = bench_month(config, overrides, args.repeat, args.rounds)
    print(
        f"\n(b) October 2026, {OVERRIDES} overrides: {month['shifts']} shifts, "
        f"{month['events']} calendar events, {month['ics_bytes']} bytes of .ics"
    )
    print(summary("all_shifts (3 duties, one month)", month["all_shifts"]))
    print(summary("export shifts (month + 32-day look-around)", month["export_shifts"]))
    print(summary("build and serialise the .ics", month["ics"]))


if __name__ == "__main__":
    main()
