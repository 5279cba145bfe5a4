"""Process wiring for `achtervang run`: settings in, a polling bot out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from telegram import Bot
from telegram.error import InvalidToken

from bot import event_loop
from bot.app import build_application
from bot.config.settings import Settings
from bot.config.team import TeamConfig
from bot.db import make_engine, make_sessionmaker
from bot.operations import heap, heartbeat, http
from bot.operations.health import HealthCheck
from bot.operations.leadership import Leadership, open_leadership
from bot.operations.recovery import release_own
from bot.runtime import Runtime
from bot.scheduling.clock import SystemClock
from bot.transport.poller import serving

log = logging.getLogger(__name__)


def check_token(settings: Settings) -> str:
    """Asks Telegram who we are before starting, so a refused token is one clear error.

    Raises telegram.error.InvalidToken or NetworkError; returns the bot's username.
    """

    async def ask() -> str:
        async with Bot(_token(settings), base_url=settings.telegram_api_base_url) as bot:
            return bot.username

    return event_loop.run(ask())


def _token(settings: Settings) -> str:
    # `achtervang run` stops earlier without one; PTB would raise this for a missing token too.
    if settings.token is None:
        raise InvalidToken("TELEGRAM_BOT_TOKEN is not set")
    return settings.token


def run_bot(settings: Settings, config: TeamConfig) -> None:
    """Runs until SIGTERM or SIGINT. Raises leadership.AlreadyRunning when another instance
    holds this SQLite database."""
    event_loop.run(serve(settings, config))


async def serve(settings: Settings, config: TeamConfig) -> None:
    """Standby until this instance leads, then active until it stops or loses the lead (and
    then standby again). Health, metrics and heartbeat run throughout."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    engine = make_engine(settings.database_url)
    runtime = Runtime(config=config, sessionmaker=make_sessionmaker(engine), clock=SystemClock())
    check = HealthCheck(runtime.sessionmaker, runtime.clock, settings.ready_max_tick_age)
    try:
        async with contextlib.AsyncExitStack() as stack:
            leadership = await stack.enter_async_context(open_leadership(settings.database_url))
            if settings.listen_address is not None:
                await stack.enter_async_context(
                    http.serving(check, *settings.listen_address, runtime=runtime)
                )
            await stack.enter_async_context(
                heartbeat.beating(check, settings.heartbeat_url, settings.heartbeat_interval)
            )
            while await leadership.acquire(stop):
                await run_active(settings, runtime, leadership, stop)
                if stop.is_set():
                    break
            await leadership.release()
    finally:
        await engine.dispose()


async def run_active(
    settings: Settings, runtime: Runtime, leadership: Leadership, stop: asyncio.Event
) -> None:
    """Polls Telegram and runs the scheduler until `stop` is set or leadership is lost.

    The pieces of PTB's run_polling, so that leadership decides when they start and stop."""
    application = build_application(
        runtime,
        token=_token(settings),
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.base_file_url,
    )
    # The inbox poller runs PTB's start-up and shut-down steps around the durable inbox;
    # leadership decides when it runs. The heap is settled before the first update is fetched:
    # its one full collection then holds up no crisis stored while the bot was down.
    with heap.settled():
        async with serving(application, runtime) as poller:
            assert poller.polling is not None
            ended = await _until_stopped_lost_or_ended(leadership, stop, poller.polling)
            if ended == "lost":
                log.error("no longer the active instance: stopped polling and scheduling")
            if ended == "polling" and not poller.polling.cancelled():
                poller.polling.result()  # re-raises e.g. InvalidToken: one clear error
    await _hand_back(runtime)


async def _until_stopped_lost_or_ended(
    leadership: Leadership, stop: asyncio.Event, polling: asyncio.Task[None]
) -> str:
    stopping = asyncio.create_task(stop.wait())
    losing = asyncio.create_task(leadership.lost())
    done, pending = await asyncio.wait(
        {stopping, losing, polling}, return_when=asyncio.FIRST_COMPLETED
    )
    for task in (stopping, losing):
        if task in pending:
            task.cancel()
    await asyncio.gather(stopping, losing, return_exceptions=True)
    if polling in done:
        return "polling"
    return "lost" if losing in done else "stopped"


async def _hand_back(runtime: Runtime) -> None:
    """After polling and the handlers and jobs have stopped (they finish their sends first),
    what is still claimed by this instance is handed back for the next active one."""
    try:
        async with runtime.sessionmaker() as session:
            handed_back = await release_own(session)
            await session.commit()
        if handed_back.resent or handed_back.failed:
            log.warning(
                "handed back %d unfinished send(s) at shutdown",
                handed_back.resent + handed_back.failed,
            )
    except Exception as exc:  # the database is away: recovery by the next active one
        log.error("could not hand back unfinished sends: %s", exc)
