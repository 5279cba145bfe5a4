"""Process wiring for `achtervang run`: settings in, a polling bot out."""

from __future__ import annotations

import asyncio
import signal

from telegram import Bot

from bot.app import build_application
from bot.db import make_engine, make_sessionmaker
from bot.inbox_poller import serve
from bot.runtime import Runtime
from bot.scheduling.clock import SystemClock
from bot.settings import Settings
from bot.team_config import TeamConfig


def check_token(settings: Settings) -> str:
    """Asks Telegram who we are before starting, so a refused token is one clear error.

    Raises telegram.error.InvalidToken or NetworkError; returns the bot's username.
    """

    async def ask() -> str:
        async with Bot(settings.token, base_url=settings.telegram_api_base_url) as bot:
            return bot.username

    return asyncio.run(ask())


def run_bot(settings: Settings, config: TeamConfig) -> None:
    asyncio.run(_run(settings, config))


async def _run(settings: Settings, config: TeamConfig) -> None:
    """Polls through the durable inbox until SIGINT or SIGTERM, then stops cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    engine = make_engine(settings.database_url)
    runtime = Runtime(config=config, sessionmaker=make_sessionmaker(engine), clock=SystemClock())
    application = build_application(
        runtime,
        token=settings.token,
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.base_file_url,
    )
    try:
        await serve(application, runtime, stop)
    finally:
        await engine.dispose()
