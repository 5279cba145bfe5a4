"""What arrives from Telegram is checked once, at the edge: text a person could not have meant
(only invisible whitespace, NUL and other control characters) never reaches a feature."""

from __future__ import annotations

import unicodedata

from telegram import Update

_ALLOWED_CONTROLS = frozenset("\n\t\r")


def has_controls(text: str) -> bool:
    """NUL and the other C0/C1 controls (PostgreSQL refuses NUL; none belong in a message)."""
    return any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in text)


def blank(text: str) -> bool:
    """Only whitespace, including U+3000, U+00A0 and zero-width characters."""
    return not "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf",)).strip()


def unusable_text(update: Update) -> bool:
    """A message or button press whose text no feature can take as meant."""
    if update.callback_query is not None:
        data = update.callback_query.data
        return data is not None and has_controls(data)
    message = update.effective_message
    if message is None:
        return False
    text = message.text if message.text is not None else message.caption
    if text is None:
        return False
    return blank(text) or has_controls(text)
