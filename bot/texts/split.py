"""Cutting texts: longer than one Telegram message allows, at line ends, and to a short
excerpt of what someone sent (no Telegram here: the scheduler uses it as well as the
handlers)."""

from __future__ import annotations

# Telegram's limit for one text message.
MESSAGE_LIMIT = 4096


def _length(text: str) -> int:
    # Telegram counts UTF-16 code units: an emoji in a name takes two.
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """`text` in pieces of at most `limit`, cut at line ends; blank lines at the cuts are
    dropped. Only a single line longer than `limit` is cut inside the line."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        while _length(line) > limit:
            head = line[:limit]
            while _length(head) > limit:
                head = head[:-1]
            line = line[len(head) :]
            if current:
                pieces.append("\n".join(current))
            pieces.append(head)
            current, size = [], 0
        extra = _length(line) + (1 if current else 0)
        if current and size + extra > limit:
            pieces.append("\n".join(current))
            current, size = [], 0
            extra = _length(line)
        current.append(line)
        size += extra
    pieces.append("\n".join(current))
    trimmed = (piece.strip("\n") for piece in pieces)
    return [piece for piece in trimmed if piece.strip()]


def excerpt(text: str, limit: int = 40) -> str:
    """A short piece of what someone sent, for a reply that names it: never all of it."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
