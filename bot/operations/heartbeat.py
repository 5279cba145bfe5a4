"""Dead-man's switch: while this instance is active and healthy it calls HEARTBEAT_URL every
interval, so an external monitor (Healthchecks, an Uptime Kuma push monitor) raises the alarm
when the calls stop: the process died, the database is away or the scheduler hangs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from bot.operations.health import HealthCheck
from bot.operations.role import Role

log = logging.getLogger(__name__)
REQUEST_TIMEOUT = 10.0


async def beat_forever(check: HealthCheck, url: str, interval: float) -> None:
    timeout = aiohttp.ClientTimeout(total=min(REQUEST_TIMEOUT, interval))
    last = ""
    async with aiohttp.ClientSession(timeout=timeout) as client:
        while True:
            try:
                outcome = await beat_once(check, client, url)
            except Exception as exc:  # the dead-man's switch must outlive a bug in one beat
                outcome = f"failed: {type(exc).__name__}"
            if outcome != last and outcome not in ("", "standby"):
                log.warning("heartbeat %s", outcome)  # once per change, not every interval
            elif outcome != last and last not in ("", "standby"):
                log.info("heartbeat sent again")
            last = outcome
            await asyncio.sleep(interval)


async def beat_once(check: HealthCheck, client: aiohttp.ClientSession, url: str) -> str:
    """One heartbeat if healthy. Returns "" when the monitor accepted it, "standby" when this
    instance is not the active one, else why none went out. The URL is not logged: a push
    monitor's URL is its secret."""
    readiness = await check()
    if readiness.role != Role.ACTIVE:
        return "standby"  # a standby is watched through /readyz; the active one pings
    if not readiness.ready:
        return "withheld: " + ", ".join(readiness.problems)
    try:
        async with client.get(url) as response:
            if response.status >= 400:
                return f"refused by the monitor: HTTP {response.status}"
    except (aiohttp.ClientError, TimeoutError) as exc:
        return f"failed: {type(exc).__name__}"
    return ""


@asynccontextmanager
async def beating(check: HealthCheck, url: str | None, interval: float) -> AsyncIterator[None]:
    if not url:
        yield
        return
    task = asyncio.create_task(beat_forever(check, url, interval), name="heartbeat")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
