"""What every handler and job needs, built once per process."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config.team import TeamConfig
from bot.i18n import Translator, translator
from bot.scheduling.clock import Clock


@dataclass
class Runtime:
    config: TeamConfig
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    # Seconds between scheduler ticks (sending due notices, planning new ones); None runs no
    # scheduler, for tests that do not look at scheduled messages.
    tick_seconds: float | None = 30.0

    def translator(self, language: str | None = None) -> Translator:
        return translator(language or self.config.default_language, self.config.tz)
