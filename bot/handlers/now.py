"""/now: who holds each duty at this moment, until when, and who comes next."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.required import chat_of, message_of
from bot.i18n import Translator
from bot.services.rosters.core import DutyStatus
from bot.services.rosters.store import load_roster
from bot.texts.contacts import with_phone
from bot.texts.roster import duty_name, holder_text, when

# duty_status looks this far ahead for the next holder.
HORIZON = timedelta(days=14)


def describe(tr: Translator, status: DutyStatus, phones: Mapping[str, str] | None = None) -> str:
    """`phones` by holder name: the number to call whoever holds the duty now."""
    name = duty_name(tr, status.duty)
    if status.current is not None:
        holder = holder_text(tr, status.current)
        if phones and status.current.holder is not None:
            holder = with_phone(tr, holder, phones.get(status.current.holder))
        line = tr._(
            "%(duty)s: %(holder)s, until %(until)s.",
            duty=name,
            holder=holder,
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


def now_text(
    tr: Translator,
    statuses: list[DutyStatus],
    instant: datetime,
    phones: Mapping[str, str] | None = None,
) -> str:
    if not statuses:
        return tr._("No duty rosters are set up yet. A team lead sets them with /rota.")
    header = tr._("On duty at %(now)s:", now=when(tr, instant))
    return "\n".join([header, *(describe(tr, status, phones) for status in statuses)])


async def show_now(update: Update, context: AchtervangContext) -> None:
    runtime = context.runtime
    instant = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        state = await load_roster(session, runtime.config, instant, instant + HORIZON)
    statuses = [state.status(duty, instant) for duty in state.config.duties.rostered_duties()]
    # Numbers in a private chat only: whoever else is in a group need not have them.
    phones = None
    if chat_of(update).type == ChatType.PRIVATE:
        holders = {s.current.holder for s in statuses if s.current and s.current.holder}
        found = {name: state.coach(name) for name in holders}
        phones = {name: c.phone for name, c in found.items() if c and c.phone and c.active}
    await message_of(update).reply_text(now_text(context.tr, statuses, instant, phones))


HANDLERS = [CommandHandler("now", show_now)]
