"""Two `achtervang run` processes on one PostgreSQL database: one is active, the other waits
as standby and takes over when the active one is SIGKILLed mid-escalation or stopped with
SIGTERM. Real processes, the real clock, the Bot API stand-in in the test's event loop.

On SQLite a second instance refuses to start."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.config.team import load_team_config
from bot.models import Alert, AlertStatus, ConversationState, OutboxMessage, OutboxStatus
from bot.scheduling.outbox import URGENT_KINDS
from bot.standin import BotApiStandIn
from tests.cli.conftest import operator_env, spawn
from tests.e2e.harness import buttons
from tests.process.instances import (
    ANNA,
    BRAM,
    EVA,
    FLEUR,
    SARA,
    config_text,
    enrol_team,
    free_port,
    log_of,
    poll,
    readiness,
    role,
    start_bot,
    stop,
)


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn(bot_username="achtervang_test_bot") as server:
        yield server


@pytest.fixture
def postgres(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("leadership between instances needs PostgreSQL")


@pytest.fixture
def cli_env(tmp_path: Path, standin: BotApiStandIn, database_url: str) -> dict[str, str]:
    (tmp_path / "team.toml").write_text(config_text("4s"), encoding="utf-8")
    return operator_env(
        database_url,
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        ACHTERVANG_CONFIG=str(tmp_path / "team.toml"),
    )


@pytest.fixture
async def team(engine, sessionmaker, standin, cli_env, tmp_path):
    await enrol_team(sessionmaker, load_team_config(tmp_path / "team.toml"), standin)
    return sessionmaker


def alerts_in(standin: BotApiStandIn, user_id: int, code: str) -> list[dict]:
    return [
        m
        for m in standin.bot_messages(user_id)
        if m.get("text", "").startswith(f"🚨 CRISISMELDING {code}")
    ]


@pytest.fixture
async def bots(tmp_path) -> AsyncIterator[list]:
    """The processes a test started; whatever still runs at the end is killed. Their logs
    are printed, for pytest to show when the test failed."""
    started: list = []
    yield started
    for log in sorted(tmp_path.glob("*.log")):
        lines = [x for x in log.read_text(errors="replace").splitlines() if "apscheduler" not in x]
        print(f"--- {log.name}", *lines[-60:], sep="\n")
    for process in started:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def two_instances(tmp_path, env, bots: list) -> tuple:
    """Starts A, waits until it is active, then B, until it is standby."""
    port_a, port_b = free_port(), free_port()
    first = await start_bot(tmp_path, env, "a", port_a)
    bots.append(first)
    await poll(lambda: _is(port_a, "active"), "instance A active", 60)
    second = await start_bot(tmp_path, env, "b", port_b)
    bots.append(second)
    await poll(lambda: _is(port_b, "standby"), "instance B standby", 60)
    assert "standby: another instance is active" in log_of(tmp_path, "b")
    status, body = await readiness(port_b)
    assert status == 200 and body["ready"], body  # a standby is ready: it can take over
    return first, port_a, second, port_b


async def _is(port: int, expected: str) -> bool:
    return await role(port) == expected


async def test_the_standby_takes_over_a_killed_instance_mid_escalation(
    postgres, standin, team, cli_env, tmp_path, bots
):
    sessionmaker = team

    async def urgent_rows() -> list[tuple[str, OutboxStatus, int]]:
        async with sessionmaker() as session:
            rows = await session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind.in_(URGENT_KINDS))
            )
            return sorted((r.kind, r.status, r.attempts) for r in rows)

    async def sent(count: int) -> bool:
        return sum(s == OutboxStatus.SENT for _, s, _ in await urgent_rows()) >= count

    async def statuses() -> dict[str | None, AlertStatus]:
        # By family: the two crises come in one batch and are raised side by side, so which
        # gets the lower id is not fixed.
        async with sessionmaker() as session:
            return {a.case_code: a.status for a in await session.scalars(select(Alert))}

    first, port_a, second, port_b = await two_instances(tmp_path, cli_env, bots)
    try:
        await standin.send_message(EVA, "/crisis GZ-1042 moeder belt, vader dreigt")
        await standin.send_message(ANNA, "/crisis GZ-2077 school meldt verwonding")
        await poll(lambda: len(alerts_in(standin, BRAM, "GZ-1042")) == 1, "first alert", 20)
        await poll(lambda: len(alerts_in(standin, BRAM, "GZ-2077")) == 1, "second alert", 20)
        await poll(lambda: sent(2), "both first steps marked sent")
        assert alerts_in(standin, FLEUR, "GZ-1042") == []  # the second line's turn is to come
        status, body = await readiness(port_a)
        assert status == 200 and body["role"] == "active", body

        first.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        await asyncio.wait_for(first.wait(), 10)
        await poll(lambda: _is(port_b, "active"), "B active", 15)
        assert time.monotonic() - killed < 15

        # B escalates both alerts to the second line, and handles the updates: Fleur takes one.
        await poll(lambda: alerts_in(standin, FLEUR, "GZ-1042"), "GZ-1042 to Fleur", 20)
        await poll(lambda: alerts_in(standin, FLEUR, "GZ-2077"), "GZ-2077 to Fleur", 20)
        message = alerts_in(standin, FLEUR, "GZ-1042")[0]
        await standin.press_button(
            FLEUR, FLEUR, message["message_id"], buttons(message)["Ik pak het op"]
        )
        await poll(
            lambda: _statuses_are(
                statuses, {"GZ-1042": AlertStatus.TAKEN, "GZ-2077": AlertStatus.UNANSWERED}
            ),
            "one alert taken, the other run through the chain",
            30,
        )
        await poll(lambda: sent(8), "the last notices sent", 20)
        await asyncio.sleep(1.0)  # five more alert ticks: nothing else may go out
        status, body = await readiness(port_b)
        assert status == 200 and body["role"] == "active", body
    finally:
        await stop(first)
        await stop(second)

    assert second.returncode == 0, log_of(tmp_path, "b")[-3000:]
    # Each step of each alert reached its recipient once, from whichever instance sent it.
    assert [len(alerts_in(standin, u, "GZ-1042")) for u in (BRAM, FLEUR, SARA)] == [1, 1, 0]
    assert [len(alerts_in(standin, u, "GZ-2077")) for u in (BRAM, FLEUR, SARA)] == [1, 1, 1]
    # Every card shown is brought up to date once (GZ-1042 taken: Bram's and Fleur's cards;
    # GZ-2077 unanswered: Bram's, Fleur's and Sara's), and each reporter got one receipt.
    assert await urgent_rows() == sorted(
        [("alert", OutboxStatus.SENT, 1)] * 5
        + [("alert_edit", OutboxStatus.SENT, 1)] * 5
        + [("alert_receipt", OutboxStatus.SENT, 1)] * 2
        + [("alert_taken", OutboxStatus.SENT, 1)]
        + [("alert_unanswered", OutboxStatus.SENT, 1)] * 2
    )
    assert standin.poll_overlaps == []


async def _statuses_are(statuses, expected) -> bool:
    return await statuses() == expected


async def test_sigterm_hands_over_to_the_standby_in_seconds(
    postgres, standin, team, cli_env, tmp_path, bots
):
    first, _port_a, second, port_b = await two_instances(tmp_path, cli_env, bots)
    try:
        await standin.send_message(EVA, "/crisis GZ-1042 moeder belt, vader dreigt")
        await poll(lambda: alerts_in(standin, BRAM, "GZ-1042"), "the first step, from A", 20)
        # Stopped mid-escalation, with the alert tick busy five times a second.
        first.send_signal(signal.SIGTERM)
        took = await poll(lambda: _is(port_b, "active"), "B active after A's SIGTERM", 15)
        await asyncio.wait_for(first.wait(), 15)
        assert first.returncode == 0, log_of(tmp_path, "a")[-3000:]
        assert "leadership released" in log_of(tmp_path, "a")
        # The standby waits out the grace for a leader that lost its connection, no longer.
        assert took < 10

        # B carries the escalation on, and is the bot now.
        await poll(lambda: alerts_in(standin, SARA, "GZ-1042"), "the team lead's step", 30)
        await standin.send_message(ANNA, "/crisis GZ-2077 school meldt verwonding")
        await poll(lambda: alerts_in(standin, BRAM, "GZ-2077"), "a new alert, from B", 20)
        await asyncio.sleep(1.0)
    finally:
        await stop(first)
        await stop(second)
    assert second.returncode == 0
    assert [len(alerts_in(standin, u, "GZ-1042")) for u in (BRAM, FLEUR, SARA)] == [1, 1, 1]
    assert len(alerts_in(standin, BRAM, "GZ-2077")) == 1
    assert standin.poll_overlaps == []


async def test_a_second_instance_on_sqlite_refuses_to_start(
    database_url, engine, standin, cli_env, tmp_path, bots
):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's single-instance lock")
    first = await start_bot(tmp_path, cli_env, "first", port := free_port())
    bots.append(first)
    try:
        await poll(lambda: _is(port, "active"), "the first instance active", 60)
        second = await spawn(tmp_path, cli_env, "run")
        _, err = await asyncio.wait_for(second.communicate(), 60)
        assert second.returncode == 1
        lines = err.decode().strip().splitlines()
        assert lines[-1].startswith("Er draait al een achtervang run op deze SQLite-database"), (
            lines
        )
        assert "Traceback" not in err.decode()
        assert await role(port) == "active"  # the first one carries on
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    # A lock file left by a crash does not stop the next start.
    third = await start_bot(tmp_path, cli_env, "third", port := free_port())
    bots.append(third)
    try:
        await poll(lambda: _is(port, "active"), "a new instance after the crash", 60)
    finally:
        await stop(third)
    assert third.returncode == 0


async def test_an_instance_that_loses_its_database_connection_stops_and_the_standby_leads(
    postgres, standin, team, cli_env, tmp_path, engine, bots
):
    first, port_a, second, port_b = await two_instances(tmp_path, cli_env, bots)
    try:
        # The active instance's leadership connection dies (a network cut, a database restart).
        async with engine.connect() as conn:
            killed = await conn.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name LIKE :name"
                ),
                {"name": f"achtervang %/{first.pid}/%"},
            )
        assert killed == 1
        await poll(lambda: _is(port_b, "active"), "B active", 15)
        await poll(lambda: _is(port_a, "standby"), "A back to standby", 15)
        assert "lost leadership" in log_of(tmp_path, "a")

        await standin.send_message(EVA, "/crisis GZ-1042 moeder belt")
        await poll(lambda: alerts_in(standin, BRAM, "GZ-1042"), "the alert", 20)
        await asyncio.sleep(1.0)
        assert len(alerts_in(standin, BRAM, "GZ-1042")) == 1
    finally:
        await stop(first)
        await stop(second)
    assert (first.returncode, second.returncode) == (0, 0)
    assert standin.poll_overlaps == []


async def test_a_half_finished_crisis_survives_a_failover(
    postgres, standin, team, cli_env, tmp_path, bots
):
    sessionmaker = team

    async def conversation_stored() -> bool:
        async with sessionmaker() as session:
            rows = await session.scalars(
                select(ConversationState).where(ConversationState.name == "crisis")
            )
            return any(rows)

    first, _port_a, second, port_b = await two_instances(tmp_path, cli_env, bots)
    try:
        await standin.send_message(EVA, "/crisis")
        asked = await standin.next_message(EVA, timeout=20)
        assert asked["text"].startswith("Om welk gezin gaat het?"), asked["text"]
        await poll(conversation_stored, "the conversation in the database", 10)
        first.send_signal(signal.SIGKILL)
        await asyncio.wait_for(first.wait(), 10)
        await poll(lambda: _is(port_b, "active"), "B active", 15)

        # B knows where Eva was: it takes the code, then the text, and raises the alert.
        await standin.send_message(EVA, "GZ-1042")
        asked = await standin.next_message(EVA, timeout=20)
        assert asked["text"].startswith("Wat is er aan de hand bij GZ-1042?"), asked["text"]
        await standin.send_message(EVA, "moeder belt, vader dreigt")
        await poll(lambda: alerts_in(standin, BRAM, "GZ-1042"), "the alert, from B", 20)
    finally:
        await stop(first)
        await stop(second)
    assert second.returncode == 0
