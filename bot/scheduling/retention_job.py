"""The daily retention purge, run by the JobQueue at night (see jobs.install)."""

from __future__ import annotations

import logging
from datetime import time

from telegram.ext import ContextTypes

from bot.application_type import TeamApplication
from bot.runtime import Runtime
from bot.services.cases.retention import purge

log = logging.getLogger(__name__)
RETENTION_JOB = "achtervang-retention"
# Local time: a quiet hour, before anyone looks at the cases.
RUN_AT = time(3, 15)


async def retention_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await run_retention(context.application)


async def run_retention(application: TeamApplication) -> int:
    """Purges what is due; returns how many cases were purged."""
    runtime: Runtime = application.bot_data["runtime"]
    now = runtime.clock.now()
    try:
        async with runtime.sessionmaker() as session:
            purged = await purge(
                session,
                retention_months=runtime.config.cases.retention_months,
                today=now.astimezone(runtime.config.tz).date(),
                now=now,
            )
            await session.commit()
    except Exception:
        # Tomorrow's run catches up; the bot must keep running.
        log.exception("retention purge failed")
        return 0
    if purged:
        log.info("retention: purged the notes of %d closed case(s)", len(purged))
    return len(purged)


def install_retention(application: TeamApplication) -> None:
    runtime: Runtime = application.bot_data["runtime"]
    if application.job_queue is None:
        return
    application.job_queue.run_daily(
        retention_job,
        time=RUN_AT.replace(tzinfo=runtime.config.tz),
        name=RETENTION_JOB,
        job_kwargs={"max_instances": 1},
    )
