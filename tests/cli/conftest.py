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
)


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(tmp_path: Path, database_url: str):
    """Runs `python -m bot …` as an operator would, in a directory without a .env file.

    Async so that a stand-in served by the test's own event loop can answer the process.
    """

    async def run(*args: str, env: dict[str, str] | None = None, stdin: bytes = b"") -> Result:
        environment = {k: v for k, v in os.environ.items() if k not in SETTINGS}
        environment["DATABASE_URL"] = database_url
        environment.update(env or {})
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *args,
            cwd=tmp_path,
            env=environment,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(stdin), timeout=60)
        return Result(proc.returncode, out.decode(), err.decode())

    return run
