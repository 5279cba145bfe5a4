"""Sending on the second channel through Apprise. Apprise's plugins block (SMTP, HTTP), so
every send runs in a worker thread and the event loop (Telegram, the scheduler) goes on."""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger(__name__)


def _send_blocking(url: str, title: str, body: str) -> bool:
    import apprise

    sender = apprise.Apprise()
    if not sender.add(url):
        return False
    return bool(sender.notify(title=title, body=body))


async def send(url: str, title: str, body: str) -> bool:
    """True when the destination accepted the message. Never raises: a failure is a False,
    which the caller retries."""
    try:
        return await asyncio.to_thread(_send_blocking, url, title, body)
    except Exception:
        # The URL may hold a password: it stays out of the log.
        log.exception("second-channel send failed (%s)", url.split("://", 1)[0])
        return False
