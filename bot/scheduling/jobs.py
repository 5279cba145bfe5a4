"""The scheduler only ticks: every tick plans coming notices into the outbox and sends what
is due. All state is in the database, so a restart resumes exactly where the last run was."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import ContextTypes

from bot.application_type import TeamApplication
from bot.config.team import TeamConfig
from bot.operations.status import STATUS
from bot.runtime import Runtime
from bot.scheduling.dispatcher import dispatch_due
from bot.scheduling.planner import plan
from bot.scheduling.recovery_job import install_recovery, run_recovery
from bot.scheduling.retention_job import install_retention
from bot.services.absence import backup_round
from bot.services.alerts import second_channel
from bot.services.alerts.lifecycle import escalate_due, next_deadline
from bot.services.visits import deadlines as visit_deadlines
from bot.transport.chat_lanes import GIVE_WAY, ChatLanes

log = logging.getLogger(__name__)
TICK_JOB = "achtervang-tick"
ALERT_JOB = "achtervang-alerts"
WAKE_JOB = "achtervang-alert-wake"
_LOCK = "tick_lock"
_ALERT_LOCK = "alert_tick_lock"
# Escalations per transaction. On SQLite a transaction holds the database's only write lock:
# a burst of escalations in one transaction would keep a new crisis from being stored until
# every one of them was done.
ESCALATION_BATCH = 10


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    await _give_way(context.application)
    await run_tick(context.application)


async def run_tick(application: TeamApplication) -> None:
    """Plans coming roster notices, then sends what is due."""
    # A kick and the repeating tick may coincide; planning the same notices twice at once
    # would be harmless (keys), but is wasted work.
    async with application.bot_data.setdefault(_LOCK, asyncio.Lock()):
        await _update_then_send(application, plan, "planning roster notices failed")
        # Separate transaction: a failing backup round must not hold up roster notices.
        await _update_then_send(application, backup_round.tick, "running backup rounds failed")
        await _update_then_send(
            application,
            visit_deadlines.purge_locations,
            "purging visit locations failed",
            send=False,
        )


async def alert_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    await _give_way(context.application)
    await run_alert_tick(context.application)
    STATUS.ticked()  # for /readyz and the heartbeat: the scheduler is alive


async def run_alert_tick(application: TeamApplication) -> None:
    """Escalates alerts whose step went unanswered, then sends what is due."""
    # The repeating tick and a deadline wake-up may coincide; on SQLite (no row locks) both
    # could escalate the same alert.
    runtime: Runtime = application.bot_data["runtime"]
    started = runtime.clock.now()
    async with application.bot_data.setdefault(_ALERT_LOCK, asyncio.Lock()):
        # Home visits nobody checked out of: reminder, last call, safety alert. Its own
        # transaction (a failure there must not hold up escalations), sent with them below.
        await _update_then_send(
            application,
            partial(visit_deadlines.due, limit=ESCALATION_BATCH),
            "taking home-visit steps failed",
            batch=ESCALATION_BATCH,
            send=False,
        )
        # Alert messages nobody took in time: also on the second channel (e-mail, SMS),
        # sent with the escalations below.
        await _update_then_send(
            application,
            second_channel.plan_late,
            "planning second-channel messages failed",
            send=False,
        )
        await _update_then_send(
            application,
            partial(escalate_due, limit=ESCALATION_BATCH),
            "escalating crisis alerts failed",
            batch=ESCALATION_BATCH,
        )
    await wake_at_next_deadline(application, handled_until=started)


async def wake_at_next_deadline(
    application: TeamApplication, handled_until: datetime | None = None
) -> None:
    """The repeating alert tick is the backstop; the earliest escalation deadline wakes the
    scheduler itself, so a step fires on time instead of up to a tick late, without polling
    the database many times a second. A deadline that passed while a tick was busy wakes it
    again at once; one that was already due when the tick escalated (another instance holds
    that alert, or escalating failed) is left to the backstop rather than spun on."""
    runtime: Runtime = application.bot_data["runtime"]
    if runtime.tick_seconds is None or application.job_queue is None:
        return
    async with runtime.sessionmaker() as session:
        deadlines = [await next_deadline(session), await visit_deadlines.next_deadline(session)]
    deadline = min((d for d in deadlines if d is not None), default=None)
    if deadline is None or (handled_until is not None and deadline <= handled_until):
        return
    delay = max(0.0, (deadline - runtime.clock.now()).total_seconds())
    for job in application.job_queue.get_jobs_by_name(WAKE_JOB):
        job.schedule_removal()
    application.job_queue.run_once(alert_tick, delay, name=WAKE_JOB)


async def _give_way(application: TeamApplication) -> None:
    lanes = application.update_processor
    if isinstance(lanes, ChatLanes):
        await lanes.quiet(at_most=GIVE_WAY)


async def _update_then_send(
    application: TeamApplication,
    update: Callable[[AsyncSession, TeamConfig, datetime], Awaitable[Any]],
    failure: str,
    batch: int | None = None,
    send: bool = True,
) -> None:
    """Runs `update` in a transaction and sends what is due. With a `batch` size, `update`
    handles at most that many items and returns them; it runs again, in a new transaction,
    for as long as it comes back full."""
    runtime: Runtime = application.bot_data["runtime"]
    try:
        while True:
            async with runtime.sessionmaker() as session:
                done = await update(session, runtime.config, runtime.clock.now())
                await session.commit()
            if batch is None or len(done) < batch:
                break
    except Exception:
        # Sending what is already in the outbox matters more than adding to it.
        log.exception(failure)
    if send:
        await dispatch_due(application.bot, runtime)


async def install(application: TeamApplication) -> None:
    """Called once at start-up, before polling starts."""
    runtime: Runtime = application.bot_data["runtime"]
    await run_recovery(application)
    if runtime.tick_seconds is None or application.job_queue is None:
        return
    application.job_queue.run_repeating(
        alert_tick,
        interval=runtime.config.alerts.tick.total_seconds(),
        first=0,
        name=ALERT_JOB,
        job_kwargs={"max_instances": 1},
    )
    application.job_queue.run_repeating(
        tick, interval=runtime.tick_seconds, first=0, name=TICK_JOB, job_kwargs={"max_instances": 1}
    )
    install_retention(application)
    install_recovery(application)


def kick(application: TeamApplication) -> None:
    """Runs a tick now (after a roster change), without waiting for the next one."""
    runtime: Runtime = application.bot_data["runtime"]
    if runtime.tick_seconds is not None and application.job_queue is not None:
        application.job_queue.run_once(tick, 0)
