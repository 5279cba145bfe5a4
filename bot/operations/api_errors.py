"""Counts failed Bot API calls by error code for /metrics, at the one place every call passes
through (getUpdates included): the HTTP request."""

from __future__ import annotations

from typing import Any

from telegram.error import NetworkError, TimedOut

from bot.operations import metrics
from bot.transport.bot_api_http import AiohttpRequest


class CountingRequest(AiohttpRequest):
    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except TimedOut:
            metrics.bot_api_error("timeout")
            raise
        except NetworkError:
            metrics.bot_api_error("network")
            raise
        if code >= 400:
            metrics.bot_api_error(code)
        return code, payload


def requests() -> dict[str, CountingRequest]:
    """ApplicationBuilder's own pool sizes, with counting."""
    return {
        "request": CountingRequest(connection_pool_size=256),
        "get_updates_request": CountingRequest(connection_pool_size=1),
    }
