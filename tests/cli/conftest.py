from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SETTINGS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_BOT_USERNAME",
    "DATABASE_URL",
    "ACHTERVANG_CONFIG",
    "HTTP_LISTEN",
    "HEARTBEAT_URL",
    "HEARTBEAT_INTERVAL",
    "READY_MAX_TICK_AGE",
)


@dataclass
class Result:
    code: int
    out: str
    err: str


def operator_env(database_url: str, **settings: str) -> dict[str, str]:
    """The test's environment without any Achtervang setting, plus the given ones."""
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    environment["DATABASE_URL"] = database_url
    environment.update(settings)
    return environment


async def spawn(cwd: Path, env: dict[str, str], *args: str, stdout: int = asyncio.subprocess.PIPE):
    """`python -m bot ARGS` as a child process, as an operator would start it."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=stdout,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.fixture
def cli(tmp_path: Path, database_url: str):
    """Runs `python -m bot …` to completion, in a directory without a .env file.

    Async so that a stand-in served by the test's own event loop can answer the process.
    """

    async def run(*args: str, env: dict[str, str] | None = None, stdin: bytes = b"") -> Result:
        proc = await spawn(tmp_path, operator_env(database_url, **(env or {})), *args)
        out, err = await asyncio.wait_for(proc.communicate(stdin), timeout=60)
        return Result(proc.returncode, out.decode(), err.decode())

    return run
