"""/now: who holds each duty at this moment, until when, and who comes next."""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.i18n import Translator
from bot.services.rosters.core import DutyStatus
from bot.services.rosters.store import load_roster
from bot.texts.roster import duty_name, holder_text, when

# duty_status looks this far ahead for the next holder.
HORIZON = timedelta(days=14)


def describe(tr: Translator, status: DutyStatus) -> str:
    name = duty_name(tr, status.duty)
    if status.current is not None:
        line = tr._(
            "%(duty)s: %(holder)s, until %(until)s.",
            duty=name,
            holder=holder_text(tr, status.current),
            until=when(tr, status.current.end),
        )
    else:
        line = tr._("%(duty)s: not held at this hour.", duty=name)
    if status.next is not None:
        line += " " + tr._(
            "Next: %(holder)s from %(start)s.",
            holder=holder_text(tr, status.next),
            start=when(tr, status.next.start),
        )
    return line


def now_text(tr: Translator, statuses: list[DutyStatus], instant: datetime) -> str:
    if not statuses:
        return tr._("No duty rosters are set up yet. A team lead sets them with /rota.")
    header = tr._("On duty at %(now)s:", now=when(tr, instant))
    return "\n".join([header, *(describe(tr, status) for status in statuses)])


async def show_now(update: Update, context: AchtervangContext) -> None:
    runtime = context.runtime
    instant = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        state = await load_roster(session, runtime.config, instant, instant + HORIZON)
    statuses = [state.status(duty, instant) for duty in state.config.duties.rostered_duties()]
    await update.effective_message.reply_text(now_text(context.tr, statuses, instant))


HANDLERS = [CommandHandler("now", show_now)]
