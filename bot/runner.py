"""Process wiring for `achtervang run`: settings in, a polling bot out."""

from __future__ import annotations

import asyncio

from telegram import Bot, Update

from bot.app import build_application
from bot.db import make_engine, make_sessionmaker
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
    engine = make_engine(settings.database_url)
    runtime = Runtime(config=config, sessionmaker=make_sessionmaker(engine), clock=SystemClock())
    application = build_application(
        runtime,
        token=settings.token,
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.base_file_url,
    )
    application.run_polling(allowed_updates=Update.ALL_TYPES)
