"""Takes back what a gone instance left half-sent (bot/operations/recovery.py): once when this
instance becomes active, then every few seconds, for claims whose lease ran out later."""

from __future__ import annotations

import logging

from telegram.ext import ContextTypes

from bot.application_type import TeamApplication
from bot.operations.recovery import recover_gone
from bot.runtime import Runtime

log = logging.getLogger(__name__)
RECOVERY_JOB = "achtervang-recovery"
EVERY_SECONDS = 5.0


async def recovery_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    try:
        await run_recovery(context.application)
    except Exception:
        log.exception("recovering interrupted sends failed")


async def run_recovery(application: TeamApplication) -> None:
    runtime: Runtime = application.bot_data["runtime"]
    async with runtime.sessionmaker() as session:
        recovered = await recover_gone(session, runtime.clock.now())
        await session.commit()
    if recovered.resent:
        log.warning("%d crisis message(s) interrupted mid-send are sent again", recovered.resent)
    if recovered.failed:
        log.warning(
            "%d scheduled message(s) were interrupted mid-send and not resent", recovered.failed
        )


def install_recovery(application: TeamApplication) -> None:
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            recovery_job,
            interval=EVERY_SECONDS,
            first=EVERY_SECONDS,
            name=RECOVERY_JOB,
            job_kwargs={"max_instances": 1},
        )
