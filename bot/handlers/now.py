"""/now: who holds each duty at this moment, until when, and who comes next."""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import CommandHandler

from bot.duty_config import Duty
from bot.handlers.context import AchtervangContext
from bot.i18n import N_, Translator
from bot.services.roster import DutyStatus, Shift
from bot.services.roster_store import load_roster

DUTY_NAMES: dict[Duty, str] = {
    "bureaudienst": N_("Bureaudienst"),
    "piket": N_("On call (piket)"),
    "piket_second": N_("On call, second line"),
}
WHEN = "EEE d MMM HH:mm"
# duty_status looks this far ahead for the next holder.
HORIZON = timedelta(days=14)


def _holder(tr: Translator, shift: Shift) -> str:
    if shift.holder is not None:
        return shift.holder
    if shift.absent is not None:
        return tr._("NOBODY (%(name)s is absent)", name=shift.absent)
    return tr._("NOBODY")


def describe(tr: Translator, status: DutyStatus) -> str:
    name = tr._(DUTY_NAMES[status.duty])
    if status.current is not None:
        line = tr._(
            "%(duty)s: %(holder)s, until %(until)s.",
            duty=name,
            holder=_holder(tr, status.current),
            until=tr.datetime(status.current.end, WHEN),
        )
    else:
        line = tr._("%(duty)s: not held at this hour.", duty=name)
    if status.next is not None:
        line += " " + tr._(
            "Next: %(holder)s from %(start)s.",
            holder=_holder(tr, status.next),
            start=tr.datetime(status.next.start, WHEN),
        )
    return line


def now_text(tr: Translator, statuses: list[DutyStatus], instant: datetime) -> str:
    if not statuses:
        return tr._("No duty rosters are set up yet. The team lead sets them in the team config.")
    header = tr._("On duty at %(now)s:", now=tr.datetime(instant, WHEN))
    return "\n".join([header, *(describe(tr, status) for status in statuses)])


async def show_now(update: Update, context: AchtervangContext) -> None:
    runtime = context.runtime
    instant = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        state = await load_roster(session, runtime.config, instant, instant + HORIZON)
    statuses = [state.status(duty, instant) for duty in state.config.duties.rostered_duties()]
    await update.effective_message.reply_text(now_text(context.tr, statuses, instant))


HANDLERS = [CommandHandler("now", show_now)]
