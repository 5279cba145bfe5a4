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
from bot.operations.status import Role

log = logging.getLogger(__name__)
REQUEST_TIMEOUT = 10.0


async def beat_forever(check: HealthCheck, url: str, interval: float) -> None:
    timeout = aiohttp.ClientTimeout(total=min(REQUEST_TIMEOUT, interval))
    async with aiohttp.ClientSession(timeout=timeout) as client:
        while True:
            await beat_once(check, client, url)
            await asyncio.sleep(interval)


async def beat_once(check: HealthCheck, client: aiohttp.ClientSession, url: str) -> bool:
    """One heartbeat if healthy; True when it was sent and accepted."""
    readiness = await check()
    if readiness.role != Role.ACTIVE:
        return False  # a standby is watched through /readyz; the active one pings
    if not readiness.ready:
        log.warning("heartbeat withheld: %s", ", ".join(readiness.problems))
        return False
    try:
        async with client.get(url) as response:
            if response.status >= 400:
                log.warning("heartbeat refused by the monitor: HTTP %d", response.status)
                return False
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("heartbeat failed: %s", exc or type(exc).__name__)
        return False
    return True


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
