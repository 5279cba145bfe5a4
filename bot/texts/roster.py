"""How roster facts read in a message: duty names, holders and time spans, in local time.
Shared by every roster command, the scheduler's notices and the reports."""

from __future__ import annotations

from datetime import datetime

from bot.config.duties import Duty
from bot.i18n import N_, Translator
from bot.services.rosters.core import Shift

DUTY_NAMES: dict[Duty, str] = {
    "bureaudienst": N_("Bureaudienst"),
    "piket": N_("On call (piket)"),
    "piket_second": N_("On call, second line"),
}
# Babel patterns: weekday, day, month and time ("ma 23 nov 17:00").
WHEN = "EEE d MMM HH:mm"
DAY = "EEE d MMM"
TIME = "HH:mm"


def duty_name(tr: Translator, duty: Duty) -> str:
    return tr._(DUTY_NAMES[duty])


def holder_text(tr: Translator, shift: Shift) -> str:
    if shift.holder is not None:
        return shift.holder
    if shift.absent is not None:
        return tr._("NOBODY (%(name)s is absent)", name=shift.absent)
    return tr._("NOBODY")


def when(tr: Translator, instant: datetime) -> str:
    return tr.datetime(instant, WHEN)


def span_text(tr: Translator, start: datetime, end: datetime) -> str:
    """'ma 23 nov 08:30–17:00' within one local day, else 'ma 23 nov 17:00 – di 24 nov 08:30'."""
    if start.astimezone(tr.tz).date() == end.astimezone(tr.tz).date():
        return f"{tr.datetime(start, WHEN)}–{tr.datetime(end, TIME)}"
    return f"{tr.datetime(start, WHEN)} – {tr.datetime(end, WHEN)}"


def shift_line(tr: Translator, shift: Shift) -> str:
    """'Piket: ma 23 nov 17:00 – di 24 nov 08:30, Bram Jansen'."""
    return tr._(
        "%(duty)s: %(span)s, %(holder)s",
        duty=duty_name(tr, shift.duty),
        span=span_text(tr, shift.start, shift.end),
        holder=holder_text(tr, shift),
    )
