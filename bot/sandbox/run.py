"""Process wiring for `achtervang sandbox`: database, demo team, Bot API stand-in, the real bot
and the web chat, all in one event loop and on loopback only."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AsyncExitStack
from types import TracebackType
from typing import Self

from bot import schema
from bot.app import build_application
from bot.application_type import TeamApplication
from bot.config.team import TeamConfig
from bot.db import make_engine, make_sessionmaker
from bot.demo_data import DemoDataRefused, load_demo_data
from bot.i18n import translator
from bot.runtime import Runtime
from bot.sandbox.web import SandboxContext, enrolled_members, install
from bot.scheduling.clock import Clock, SystemClock
from bot.standin import BotApiStandIn
from bot.transport.poller import serving

HOST = "127.0.0.1"
# Any well-formed token does: the stand-in is the only server that ever sees it.
TOKEN = "100000001:SANDBOX-LOCAL-ONLY"
BOT_USERNAME = "achtervang_sandbox_bot"
VISITOR_ID = 1_000_999


class Sandbox:
    def __init__(
        self,
        database_url: str,
        config: TeamConfig,
        *,
        port: int = 8080,
        clock: Clock | None = None,
        say: Callable[[str], None] = lambda _line: None,
        tick_seconds: float | None = 30.0,
    ) -> None:
        self.config = config
        self._engine = make_engine(database_url)
        self._clock = clock or SystemClock()
        self._say = say
        self._tick_seconds = tick_seconds
        self._context = SandboxContext(config, make_sessionmaker(self._engine), VISITOR_ID)
        self.standin = BotApiStandIn(
            token=TOKEN,
            bot_username=BOT_USERNAME,
            host=HOST,
            port=port,
            extend_app=lambda app: install(app, self._context),
        )
        self._context.standin = self.standin
        self.application: TeamApplication | None = None
        self._serving = AsyncExitStack()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.standin.port}/sandbox/"

    async def start(self) -> None:
        await self._prepare_database()
        await self.standin.start()
        await self._open_chats()
        runtime = Runtime(
            config=self.config,
            sessionmaker=self._context.sessionmaker,
            clock=self._clock,
            tick_seconds=self._tick_seconds,
        )
        app = build_application(
            runtime,
            token=TOKEN,
            base_url=self.standin.base_url,
            base_file_url=self.standin.base_file_url,
        )
        self.application = app
        # As `achtervang run` serves it, without its own event loop and signal handling.
        await self._serving.enter_async_context(serving(app, runtime))

    async def stop(self) -> None:
        """Undoes whatever start() got to, so a failed start leaves nothing running."""
        self.application = None
        await self._serving.aclose()
        await self.standin.stop()
        await self._engine.dispose()

    async def __aenter__(self) -> Self:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _prepare_database(self) -> None:
        tr = translator(self.config.default_language, self.config.tz)
        if not await schema.is_current(self._engine):
            await schema.upgrade(self._engine)
            self._say(tr._("Database brought to the current schema."))
        async with self._context.sessionmaker() as session:
            try:
                summary = await load_demo_data(session, self.config, self._clock.now())
            except DemoDataRefused:
                self._say(tr._("The database already holds a team; no demo data added."))
                return
            await session.commit()
        self._say(
            tr._(
                "Demo team loaded: %(people)d people, %(families)d families; %(sick)s is off sick "
                "and a crisis alert for %(case)s is open.",
                people=summary.people,
                families=summary.families,
                sick=summary.sick_coach,
                case=summary.alert_case,
            )
        )

    async def _open_chats(self) -> None:
        # Everyone enrolled has pressed Start before, as on Telegram, so the bot may write
        # to them (the open alert, shift reminders) before they say anything.
        for member in await enrolled_members(self._context, self.standin):
            self.standin.open_chat(member.user_id)
        if self.config.team_chat_id is not None:
            self.standin.add_group(self.config.team_chat_id, self.config.team_name, supergroup=True)
