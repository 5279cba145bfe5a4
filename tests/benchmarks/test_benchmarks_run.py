"""Each benchmark still runs, with a handful of samples: nothing here is timed.

The benchmarks drive the real bot through the stand-in; when the bot or the stand-in changes
under them they break silently, since nobody runs them for a while (a wrapper around the
stand-in's message store once lost an argument, and a new flood ceiling stopped the alert
benchmark after five alerts). This catches that the day it happens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CASES = {
    "alert_bench": (
        ["--alerts", "8", "--in-flight", "2", "--wait", "1", "--settle", "1", "--pace", "0.05"],
        "(a) /crisis -> first alert shown: n=8",
        # The probe of the bot's share found the measured alerts' requests.
        "(c) the bot's share of (a), /crisis fetched -> its first sendMessage: statements",
        "machine speed: reference work",
    ),
    "case_bench": (["--lookups", "4", "--rounds", "1", "--no-postgres"], "/case"),
    "case_stages": (["--lookups", "4"], "answer stored"),
    "inbox_bench": (
        ["--updates", "10", "--pace", "5", "--lookups", "4", "--rounds", "1"],
        "the inbox adds",
    ),
    "roster_bench": (["--queries", "20", "--repeat", "2", "--rounds", "1"], "holder_at"),
    "rota_plan_bench": (["--teams", "10", "--runs", "1"], "10"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_benchmark_runs_to_its_summary(name: str) -> None:
    args, *expected = CASES[name]
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{name}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for said in expected:
        assert said in done.stdout, done.stdout[-3000:]
