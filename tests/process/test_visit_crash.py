"""A home visit's alarm survives the bot being killed: a real `achtervang run` process on the
real clock, a coach announces a visit, the bot is SIGKILLed, and a new process reminds her,
asks once more and raises the safety alert on time, each exactly once.

A visit lasts minutes and this test seconds: once the new process is up (its scheduler has
ticked), the stored expected end is moved to a few seconds away, as if the visit had been
running for most of its time. Moving it before the restart would make the test depend on how
fast a loaded machine starts a process: a reminder due before the first tick is rightly
skipped for the last call."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config.team import load_team_config
from bot.models import Visit
from bot.services.visits.lifecycle import deadline
from bot.standin import BotApiStandIn
from tests.cli.conftest import operator_env
from tests.process.instances import free_port, poll, readiness, start_bot
from tests.process.test_alert_crash import (  # noqa: F401 (fixtures)
    ANNA,
    BRAM,
    CONFIG,
    PEOPLE,
    standin,
    team_db,
)

VISITS = """
[visits]
reminder_before = "1s"
grace = "2s"
last_call = "2s"
"""
SAFETY = "🆘 VEILIGHEIDSMELDING: Anna de Vries"


@pytest.fixture
def cli_env(tmp_path: Path, standin: BotApiStandIn) -> dict[str, str]:  # noqa: F811
    (tmp_path / "team.toml").write_text(CONFIG + VISITS, encoding="utf-8")
    return operator_env(
        f"sqlite+aiosqlite:///{tmp_path / 'crash.sqlite3'}",
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        ACHTERVANG_CONFIG=str(tmp_path / "team.toml"),
    )


async def _ticking(port: int) -> bool:
    answer = await readiness(port)
    return (
        answer is not None
        and answer[1]["role"] == "active"
        and answer[1]["last_tick_age_seconds"] is not None
    )


def texts(server: BotApiStandIn, user_id: int, start: str) -> list[str]:
    return [m["text"] for m in server.bot_messages(user_id) if m.get("text", "").startswith(start)]


async def test_the_alarm_fires_on_time_after_a_kill(standin, team_db, cli_env, tmp_path):  # noqa: F811
    sessionmaker = team_db
    for user_id, (name, _) in zip([u for u, _ in PEOPLE.values()], PEOPLE.items(), strict=True):
        standin.add_user(user_id, name.split()[0], language_code="nl")
        standin.open_chat(user_id)
    config = load_team_config(tmp_path / "team.toml")

    first = await start_bot(tmp_path, cli_env, "first")
    second = None
    try:
        await standin.send_message(ANNA, "/visit GZ-1042 30m agressie verwacht")
        await poll(lambda: texts(standin, ANNA, "Huisbezoek (GZ-1042) genoteerd"), "the check-in")
        first.send_signal(signal.SIGKILL)
        await asyncio.wait_for(first.wait(), 10)

        port = free_port()
        second = await start_bot(tmp_path, cli_env, "second", port)
        await poll(lambda: _ticking(port), "the second process's first tick", 60)

        async with sessionmaker() as session:
            visit = await session.scalar(select(Visit))
            visit.expected_end = datetime.now(UTC) + timedelta(seconds=5)
            visit.next_at = deadline(config.visits, visit)
            await session.commit()
            alarm_at = visit.expected_end + timedelta(seconds=4)

        await poll(lambda: texts(standin, ANNA, "Je huisbezoek (GZ-1042) eindigt"), "reminder", 30)
        await poll(lambda: texts(standin, ANNA, "Je hebt je niet afgemeld"), "the last call", 30)
        assert texts(standin, BRAM, SAFETY) == []
        await poll(lambda: texts(standin, BRAM, SAFETY), "the safety alert", 30)
        arrived = datetime.now(UTC)
        # Not before its time, and not a tick-interval or more late (the deadline wakes it).
        assert alarm_at <= arrived < alarm_at + timedelta(seconds=3), (arrived, alarm_at)
        await asyncio.sleep(1.0)  # five more alert ticks: nothing else may go out
    finally:
        for process in (first, second):
            if process is not None and process.returncode is None:
                process.send_signal(signal.SIGINT)
                await asyncio.wait_for(process.wait(), 30)

    assert len(texts(standin, BRAM, SAFETY)) == 1
    assert "Notitie: agressie verwacht" in texts(standin, BRAM, SAFETY)[0]
    assert len(texts(standin, ANNA, "Je huisbezoek (GZ-1042) eindigt")) == 1
    assert len(texts(standin, ANNA, "Je hebt je niet afgemeld")) == 1
    assert len(texts(standin, ANNA, "Niet afgemeld: er is een veiligheidsmelding")) == 1
