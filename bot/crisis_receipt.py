"""What the reporter of a crisis alert is told once it is stored: that it is on its way, and
anything about it they should know (its text was cut)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.models import Alert
from bot.services.alerts import MAX_TEXT

# How much of the kept text the reporter is shown, so they know where the alert stops.
_END = 30


def receipt(tr: Translator, alert: Alert, text: str) -> str:
    """The receipt for `alert`, raised with the reporter's `text` as they sent it."""
    parts = [
        tr._(
            "Your crisis alert %(code)s is saved and on its way to the coach on duty. "
            "I will tell you who takes it.",
            code=alert.case_code,
        )
    ]
    if len(text) > MAX_TEXT:
        parts.append(
            tr._(
                "Your text had %(length)s characters, more than the %(limit)s an alert holds: "
                "the alert stops at '…%(end)s'; the rest was not sent. Tell it to the coach "
                "who takes it.",
                length=len(text),
                limit=MAX_TEXT,
                end=text[:MAX_TEXT][-_END:],
            )
        )
    return "\n\n".join(parts)
