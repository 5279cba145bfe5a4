"""Helpers for tests that run `achtervang run` processes: a team to alert, the processes,
and what their /readyz says."""

from __future__ import annotations

import asyncio
import socket
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bot.config.team import TeamConfig
from bot.models import Case, Phase, Role, SafetyStatus
from bot.services.team.coaches import add_coach
from bot.services.team.enrolment import create_invite, redeem
from bot.standin import BotApiStandIn

# Piket around the clock (no office hours), one member per rotation.
DUTIES = """
default_language = "nl"
[duties.office_hours]
weekdays = []
[duties.bureaudienst]
members = ["Eva Mulder"]
shift = "week"
start = 2020-01-06
[duties.piket]
members = ["Bram Jansen"]
shift = "day"
start = 2020-01-01
[duties.piket_second]
members = ["Fleur Visser"]
start = 2020-01-06
"""
CONFIG = (
    DUTIES
    + """[alerts]
chain = [
  { to = "first", wait = "%(first)s" },
  { to = "second_line", wait = "3s" },
  { to = "team_lead", wait = "3s" },
]
repeat = false
tick = "0.2s"
"""
)
PEOPLE = {
    "Anna de Vries": (820001, Role.COACH),
    "Bram Jansen": (820002, Role.COACH),
    "Eva Mulder": (820003, Role.COACH),
    "Fleur Visser": (820004, Role.COACH),
    "Sara Bakker": (820005, Role.TEAMLEAD),
}
ANNA, BRAM, EVA, FLEUR, SARA = (user_id for user_id, _ in PEOPLE.values())
CASES = {"GZ-1042": "Anna de Vries", "GZ-2077": "Eva Mulder"}


def config_text(first_wait: str = "4s") -> str:
    return CONFIG % {"first": first_wait}


async def enrol_team(sessionmaker, config: TeamConfig, standin: BotApiStandIn) -> None:
    now = datetime.now(UTC)
    async with sessionmaker() as session:
        coaches = {}
        for name, (user_id, role) in PEOPLE.items():
            coach = await add_coach(session, name=name, role=role, config=config, now=now)
            code, _ = await create_invite(session, coach, now=now, rules=config.enrolment)
            await redeem(
                session, telegram_user_id=user_id, raw_code=code, now=now, rules=config.enrolment
            )
            coaches[name] = coach
        for code, coach in CASES.items():
            session.add(
                Case(
                    code=code,
                    coach_id=coaches[coach].id,
                    phase=Phase.UITVOERING,
                    safety_status=SafetyStatus.SAFETY_PLAN,
                )
            )
        await session.commit()
    for user_id, (name, _) in zip((ANNA, BRAM, EVA, FLEUR, SARA), PEOPLE.items(), strict=True):
        standin.add_user(user_id, name.split()[0], language_code="nl")
        standin.open_chat(user_id)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def start_bot(
    tmp_path: Path, env: dict[str, str], name: str, port: int | None = None
) -> asyncio.subprocess.Process:
    """`achtervang run`, its log in a file: an unread pipe would fill up and stall the bot."""
    if port is not None:
        env = {**env, "HTTP_LISTEN": f"127.0.0.1:{port}"}
    log = (tmp_path / f"{name}.log").open("wb")
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    finally:
        log.close()


async def readiness(port: int) -> tuple[int, dict] | None:
    """/readyz's status and body, or None while nothing answers."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as client,
            client.get(f"http://127.0.0.1:{port}/readyz") as response,
        ):
            return response.status, await response.json()
    except (aiohttp.ClientError, TimeoutError):
        return None


async def role(port: int) -> str | None:
    answer = await readiness(port)
    return None if answer is None else answer[1]["role"]


async def poll(condition: Callable[[], object], what: str, timeout: float = 20.0) -> float:  # noqa: ASYNC109
    """Waits until `condition` holds; returns the seconds it took."""
    started = time.monotonic()
    while not await _call(condition):
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def _call(condition: Callable[[], object]) -> object:
    result = condition()
    return await result if asyncio.iscoroutine(result) else result


async def stop(process: asyncio.subprocess.Process | None, timeout: float = 30) -> None:  # noqa: ASYNC109
    if process is not None and process.returncode is None:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout)


def log_of(tmp_path: Path, name: str) -> str:
    return (tmp_path / f"{name}.log").read_text(encoding="utf-8", errors="replace")
