"""What the reporter of a crisis alert is told once it is stored: that it is on its way, and
anything about it they should know (the code is unknown, it arrived late, its text was
cut)."""

from __future__ import annotations

from collections.abc import Sequence

from babel.lists import format_list

from bot.i18n import Translator
from bot.models import Alert
from bot.services.alerts.codes import MAX_TEXT
from bot.texts.roster import WHEN

# How much of the kept text the reporter is shown, so they know where the alert stops.
_END = 30


def receipt(tr: Translator, alert: Alert, length: int, suggestions: Sequence[str] = ()) -> str:
    """The receipt for `alert`, raised with a text of `length` characters as the reporter
    sent it (the alert keeps the first MAX_TEXT); `suggestions` are known codes close to an
    unknown one that the reporter may see."""
    if alert.case_id is None:
        parts = [_unknown(tr, alert, suggestions)]
    else:
        parts = [
            tr._(
                "Your crisis alert %(code)s is saved and on its way to the coach on duty. "
                "I will tell you who takes it.",
                code=alert.case_code,
            )
        ]
    if alert.arrived_late and alert.written_at is not None:
        parts.append(
            tr._(
                "Note: your alert reached me late. You wrote it on %(written)s, I received it "
                "on %(received)s. It has gone out now, marked as late.",
                written=tr.datetime(alert.written_at, WHEN),
                received=tr.datetime(alert.raised_at, WHEN),
            )
        )
    if length > MAX_TEXT:
        parts.append(
            tr._(
                "Your text had %(length)s characters, more than the %(limit)s an alert holds: "
                "the alert stops at '…%(end)s'; the rest was not sent. Tell it to the coach "
                "who takes it.",
                length=length,
                limit=MAX_TEXT,
                end=alert.text[-_END:],
            )
        )
    return "\n\n".join(parts)


def joined_receipt(tr: Translator, alert: Alert) -> str:
    """For a repeat that joined the reporter's own open alert."""
    return tr._(
        "Your crisis alert %(code)s of %(when)s is still open, so no second alert was "
        "made and nobody is alerted twice. I will tell you who takes it; tell them any "
        "news.",
        code=alert.case_code,
        when=tr.datetime(alert.raised_at, WHEN),
    )


def _unknown(tr: Translator, alert: Alert, suggestions: Sequence[str]) -> str:
    told = tr._(
        "Note: I don't know the code %(code)s. Your crisis alert is saved and went to the coach "
        "on duty, who will see that the code is unknown. I will tell you who takes it.",
        code=alert.case_code,
    )
    if not suggestions:
        return told
    codes = format_list(list(suggestions), style="or", locale=tr.locale)
    return (
        told
        + "\n\n"
        + tr._(
            "Did you mean %(codes)s? Then send /crisis with that code and your text again, so "
            "that the family's own coach gets it as well.",
            codes=codes,
        )
    )


def unknown_code_question(tr: Translator, code: str, suggestions: Sequence[str]) -> str:
    """Asked instead of the crisis text when the code given first is not known."""
    parts = [tr._("I don't know the code %(code)s.", code=code.upper())]
    if suggestions:
        parts.append(
            tr._(
                "Did you mean %(codes)s? Then send /crisis with that code.",
                codes=format_list(list(suggestions), style="or", locale=tr.locale),
            )
        )
    parts.append(
        tr._(
            "If the code is right, send me now, in one short message, what is going on: the "
            "alert then goes to the coach on duty. /cancel stops."
        )
    )
    return " ".join(parts)
