"""/healthz, /readyz and /metrics on the address in HTTP_LISTEN (aiohttp)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.operations import feeds, metrics
from bot.operations.health import HealthCheck
from bot.runtime import Runtime

log = logging.getLogger(__name__)
_CHECK: web.AppKey[HealthCheck] = web.AppKey("check", HealthCheck)


def build_app(check: HealthCheck, runtime: Runtime | None = None) -> web.Application:
    """With `runtime`, the live roster links too (bot/operations/feeds.py)."""
    app = web.Application()
    app[_CHECK] = check
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_page)
    if runtime is not None:
        feeds.add_routes(app, runtime)
    return app


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"alive": True})


async def readyz(request: web.Request) -> web.Response:
    readiness = await request.app[_CHECK]()
    return web.json_response(readiness.as_json(), status=200 if readiness.ready else 503)


async def metrics_page(request: web.Request) -> web.Response:
    # The backlog gauges are read from the database at scrape time.
    await request.app[_CHECK]()
    body = generate_latest(metrics.REGISTRY)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


@asynccontextmanager
async def serving(
    check: HealthCheck, host: str, port: int, runtime: Runtime | None = None
) -> AsyncIterator[int]:
    """Serves the endpoints while inside; yields the port (useful with port 0). No access
    log: a feed's path holds its secret token."""
    runner = web.AppRunner(build_app(check, runtime), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1]
    log.info("health and metrics on http://%s:%d/ (healthz, readyz, metrics)", host, bound)
    try:
        yield bound
    finally:
        await runner.cleanup()
