"""Five crises sent at once survive the bot being killed while it handles the first.

A real `achtervang run` process against an in-process Bot API stand-in: five coaches send
`/crisis` within the same millisecond, so the bot fetches them in one getUpdates. The bot is
SIGKILLed the moment the first reporter's receipt arrives, then started again. Every reporter
was heard: the piket coach has exactly five alerts, one per family, none twice.

(A crisis whose alert was stored just before the kill, but whose receipt was not yet sent,
is not handled again, so its reporter gets no receipt: receipts through the outbox are
issue 16 item 4.)"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config.team import load_team_config
from bot.db import make_engine, make_sessionmaker
from bot.models import Alert, Case, OutboxMessage, Phase, Role, SafetyStatus
from bot.services.team.coaches import add_coach
from bot.services.team.enrolment import create_invite, redeem
from bot.standin import BotApiStandIn
from tests.cli.conftest import operator_env, spawn
from tests.process.instances import poll
from tests.process.test_alert_crash import start_bot

CONFIG = """
default_language = "nl"
[duties.office_hours]
weekdays = []
[duties.piket]
members = ["Bram Jansen"]
shift = "day"
start = 2020-01-01
[alerts]
chain = [{ to = "first", wait = "30m" }]
repeat = false
tick = "0.2s"
"""
BRAM = 820001
REPORTERS = {f"Coach {n}": 820010 + n for n in range(1, 6)}
CODES = [f"GZ-20{n:02d}" for n in range(1, 6)]
ALERT = "🚨 CRISISMELDING "


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn(bot_username="achtervang_test_bot") as server:
        yield server


@pytest.fixture
def cli_env(tmp_path: Path, standin: BotApiStandIn) -> dict[str, str]:
    (tmp_path / "team.toml").write_text(CONFIG, encoding="utf-8")
    return operator_env(
        f"sqlite+aiosqlite:///{tmp_path / 'inbox.sqlite3'}",
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        ACHTERVANG_CONFIG=str(tmp_path / "team.toml"),
    )


@pytest.fixture
async def team_db(tmp_path: Path, cli_env) -> AsyncIterator:
    upgrade = await spawn(tmp_path, cli_env, "db", "upgrade")
    _, err = await asyncio.wait_for(upgrade.communicate(), 60)
    assert upgrade.returncode == 0, err.decode()
    config = load_team_config(tmp_path / "team.toml")
    engine = make_engine(cli_env["DATABASE_URL"])
    sessionmaker = make_sessionmaker(engine)
    now = datetime.now(UTC)
    async with sessionmaker() as session:
        people = {"Bram Jansen": BRAM, **REPORTERS}
        coaches = {}
        for name, user_id in people.items():
            coach = await add_coach(session, name=name, role=Role.COACH, config=config, now=now)
            code, _ = await create_invite(session, coach, now=now, rules=config.enrolment)
            await redeem(
                session, telegram_user_id=user_id, raw_code=code, now=now, rules=config.enrolment
            )
            coaches[name] = coach
        for code, name in zip(CODES, REPORTERS, strict=True):
            session.add(
                Case(
                    code=code,
                    coach_id=coaches[name].id,
                    phase=Phase.UITVOERING,
                    safety_status=SafetyStatus.SAFETY_PLAN,
                )
            )
        await session.commit()
    try:
        yield sessionmaker
    finally:
        await engine.dispose()


def alert_codes(standin: BotApiStandIn) -> Counter[str]:
    return Counter(
        m["text"].removeprefix(ALERT).split()[0]
        for m in standin.bot_messages(BRAM)
        if m.get("text", "").startswith(ALERT)
    )


def receipts(standin: BotApiStandIn) -> list[dict]:
    return [m for user in REPORTERS.values() for m in standin.bot_messages(user)]


async def first_receipt(standin: BotApiStandIn) -> None:
    """Returns as soon as any reporter's chat shows a bot message (the five are handled side
    by side, so the kill must follow the first one closely)."""
    waits = [asyncio.create_task(standin.next_message(u, timeout=30)) for u in REPORTERS.values()]
    done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    next(iter(done)).result()


async def test_crises_fetched_together_all_survive_a_kill(standin, team_db, cli_env, tmp_path):
    for user_id in [BRAM, *REPORTERS.values()]:
        standin.add_user(user_id, "Coach", language_code="nl")
        standin.open_chat(user_id)

    first = await start_bot(tmp_path, cli_env, "first")
    second = None
    try:
        # The bot is up (it answers) before the five are sent, so they arrive in one batch.
        await standin.send_message(BRAM, "/help")
        await standin.next_message(BRAM, timeout=30)
        for user_id, code in zip(REPORTERS.values(), CODES, strict=True):
            await standin.send_message(user_id, f"/crisis {code} vader dreigt, kinderen thuis")
        await first_receipt(standin)
        first.send_signal(signal.SIGKILL)
        await asyncio.wait_for(first.wait(), 10)
        assert len(receipts(standin)) < 5, "the bot handled all five before the kill"

        second = await start_bot(tmp_path, cli_env, "second")
        await poll(lambda: sum(alert_codes(standin).values()) >= 5, "five alerts", 30)
        # A few more alert ticks: nothing else may go out.
        await asyncio.sleep(1.0)
    finally:
        for process in (first, second):
            if process is not None and process.returncode is None:
                process.send_signal(signal.SIGINT)
                await asyncio.wait_for(process.wait(), 30)

    # Every crisis raised exactly once.
    async with team_db() as session:
        raised = {a.id: a.case_code for a in await session.scalars(select(Alert))}
        sends = {
            raised[row.payload["alert_id"]]: row.attempts
            for row in await session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == "alert")
            )
        }
    assert sorted(raised.values()) == CODES
    # Each alert shown to the piket coach; a second copy only of one whose send the kill cut
    # short (sent, not yet marked sent: the outbox resends those, see URGENT_KINDS).
    shown = alert_codes(standin)
    assert set(shown) == set(CODES)
    assert all(shown[code] == 1 or sends[code] > 1 for code in CODES), (shown, sends)
