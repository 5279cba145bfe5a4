"""The second channel survives the bot being killed: a real `achtervang run` process, on the
real clock. The piket coach has blocked the bot, so Telegram refuses his alert and its
e-mail copy is stored; the mail server is not up yet, so that copy is still unsent when the
bot is SIGKILLed. A new process sends it once the mail server is there: exactly one e-mail."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.models import AuditEvent, OutboxMessage, OutboxStatus
from bot.standin import BotApiStandIn
from tests.cli.conftest import operator_env
from tests.e2e.second_channel_setup import Mailbox, free_port
from tests.process.instances import DUTIES, poll
from tests.process.test_alert_crash import (  # noqa: F401 (fixtures)
    BRAM,
    EVA,
    FLEUR,
    alerts_in,
    standin,
    start_bot,
    team_db,
)

CONFIG = (
    DUTIES
    + """[alerts]
chain = [
  { to = "first", wait = "60s" },
  { to = "second_line", wait = "60s" },
]
repeat = false
tick = "0.2s"
[second_channel]
after = "10m"
[second_channel.members]
"Bram Jansen" = ["%(url)s"]
"""
)


@pytest.fixture
def mail_port() -> int:
    return free_port()


@pytest.fixture
def cli_env(tmp_path: Path, standin: BotApiStandIn, mail_port: int) -> dict[str, str]:  # noqa: F811
    url = Mailbox(mail_port).url("bram@gemeente.test")
    (tmp_path / "team.toml").write_text(CONFIG % {"url": url}, encoding="utf-8")
    return operator_env(
        f"sqlite+aiosqlite:///{tmp_path / 'crash.sqlite3'}",
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        ACHTERVANG_CONFIG=str(tmp_path / "team.toml"),
    )


async def test_a_killed_bot_sends_the_email_copy_exactly_once(
    standin,  # noqa: F811
    team_db,  # noqa: F811
    cli_env,
    tmp_path,
    mail_port,
):
    sessionmaker = team_db
    for user_id, name in ((BRAM, "Bram"), (EVA, "Eva"), (FLEUR, "Fleur")):
        standin.add_user(user_id, name, language_code="nl")
        standin.open_chat(user_id)
    standin.block(BRAM)

    async def fallback() -> OutboxMessage | None:
        async with sessionmaker() as session:
            return await session.scalar(
                select(OutboxMessage).where(OutboxMessage.kind == "alert_fallback")
            )

    async def tried_and_waiting() -> bool:
        row = await fallback()
        return row is not None and row.status == OutboxStatus.PENDING and row.attempts >= 1

    mailbox = Mailbox(mail_port)
    controller = None
    first = await start_bot(tmp_path, cli_env, "first")
    second = None
    try:
        await standin.send_message(EVA, "/crisis GZ-1042 moeder belt, vader dreigt")
        # Telegram refused Bram's alert; the alert went on to the second line.
        await poll(lambda: alerts_in(standin, FLEUR), "the second line's alert")
        # The e-mail copy is stored and was tried against a mail server that is not there.
        await poll(tried_and_waiting, "the e-mail copy tried and waiting")
        first.send_signal(signal.SIGKILL)
        await asyncio.wait_for(first.wait(), 10)
        assert first.returncode == -signal.SIGKILL
        assert mailbox.received == []

        controller = mailbox.serve()
        second = await start_bot(tmp_path, cli_env, "second")
        await poll(lambda: mailbox.received, "the e-mail after the restart", 30)
        await poll(lambda: _sent(fallback), "the e-mail copy marked sent", 10)
        # Many more ticks (0.2 s each) and retries: nothing else goes out.
        await asyncio.sleep(3.0)
    finally:
        for process in (first, second):
            if process is not None and process.returncode is None:
                process.send_signal(signal.SIGINT)
                await asyncio.wait_for(process.wait(), 30)
        if controller is not None:
            controller.stop()

    assert len(mailbox.received) == 1
    assert mailbox.received[0]["Subject"] == "🚨 Crisismelding GZ-1042"
    assert alerts_in(standin, BRAM) == []  # blocked: Telegram never showed him anything
    assert len(alerts_in(standin, FLEUR)) == 1
    async with sessionmaker() as session:
        outcomes = [
            e.outcome
            for e in await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "alert.second_channel")
                .order_by(AuditEvent.id)
            )
        ]
    assert outcomes[-1] == "sent" and outcomes.count("sent") == 1
    assert set(outcomes[:-1]) <= {"failed"}


async def _sent(fallback) -> bool:
    row = await fallback()
    return row is not None and row.status == OutboxStatus.SENT
