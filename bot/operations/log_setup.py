"""Process logging for operators: one line per event, text or JSON, never the bot token.

Configured once when `achtervang run` or the sandbox starts. Libraries that log every
scheduler tick or HTTP request at INFO (about 170,000 lines a day) are held at WARNING
unless LOG_LEVEL=DEBUG.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

from bot.operations.log_privacy import HideExceptionText

# Every scheduler tick (APScheduler), every HTTP request made through httpx (PTB's own client,
# whose lines carry the token in the URL; the bot's Bot API client logs at DEBUG only), every
# request the sandbox page makes (aiohttp.access), and every second-channel send (apprise: its
# lines name the recipient's address).
CHATTY = ("apscheduler", "httpx", "httpcore", "aiohttp.access", "apprise")
# Schema commands report what they did in one translated line; Alembic's own lines add nothing.
QUIET_AT_INFO = ("alembic",)

# A token as Telegram issues it (digits, colon, secret), wherever it shows up: in a URL such
# as /bot123:ABC/getUpdates, in an exception, in a repr.
_TOKEN_RE = re.compile(r"\b\d{3,}:[A-Za-z0-9_-]{8,}")
REDACTED = "<token>"

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: str, token: str | None = None) -> str:
    if token:
        text = text.replace(token, REDACTED)
    return _TOKEN_RE.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    def __init__(self, token: str | None = None) -> None:
        super().__init__(TEXT_FORMAT)
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.token)


class JsonFormatter(RedactingFormatter):
    """One JSON object per line, for a log collector (journald, Loki, ELK)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False), self.token)


def configure_logging(
    level: str = "INFO",
    fmt: str = "text",
    token: str | None = None,
    stream: TextIO | None = None,
) -> None:
    """Replaces whatever logging was set up before: one handler on stderr (or `stream`)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(token) if fmt == "json" else RedactingFormatter(token))
    # Above DEBUG an exception is logged as its type and frames, not its text (case data).
    handler.addFilter(HideExceptionText())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    debugging = logging.getLevelName(level) <= logging.DEBUG
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.NOTSET if debugging else logging.WARNING)
    for name in QUIET_AT_INFO:
        logging.getLogger(name).setLevel(logging.NOTSET if debugging else logging.WARNING)
