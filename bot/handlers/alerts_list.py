"""/alerts: the crisis alerts still running (open or taken, not resolved), newest first. Only
code, when, status and who: no case card, since every coach on duty may ask."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.required import message_of
from bot.i18n import N_, Translator
from bot.models import ALERT_SAFETY
from bot.services.alerts import closing as alert_closing
from bot.services.alerts import second_channel as fallbacks
from bot.services.alerts.closing import Running
from bot.texts.alerts import TAKE
from bot.texts.roster import WHEN

STEP_NAMES = {
    "first": N_("first in line"),
    "on_duty": N_("coach on duty"),
    "second_line": N_("second line"),
    "team_lead": N_("team lead"),
}


def alert_line(tr: Translator, item: Running) -> str:
    head = f"{item.alert.case_code} · {tr.datetime(item.alert.raised_at, WHEN)}"
    if item.alert.kind == ALERT_SAFETY:  # a coach on a home visit, not a family
        head = "🆘 " + head
    if item.taken_by is not None:
        status = tr._("taken by %(name)s, not resolved yet", name=item.taken_by)
    else:
        step = STEP_NAMES.get(item.step_to or "", None)
        status = tr._(
            "open, nobody has taken it: step %(step)d of %(steps)d (%(to)s), round %(round)d",
            step=item.step,
            steps=item.steps,
            to=tr._(step) if step else "?",
            round=item.round,
        )
    return f"{head} · {status}"


async def show_alerts(update: Update, context: AchtervangContext) -> None:
    runtime, tr = context.runtime, context.tr
    async with runtime.sessionmaker() as session:
        items = await alert_closing.running(session)
        open_ids = [item.alert.id for item in items if item.taken_by is None]
        mine = await fallbacks.takeable(session, context.member, open_ids)
    markup = None
    if not items:
        text = tr._("No crisis alerts are open or waiting to be resolved.")
    else:
        text = "\n".join(
            [tr._("Crisis alerts still running, newest first:")]
            + [alert_line(tr, item) for item in items]
        )
        # A coach whose alert message never arrived (blocked bot, the second channel sent
        # them here) can take it from this list.
        rows = [
            [
                InlineKeyboardButton(
                    f"{tr._(TAKE)}: {item.alert.case_code}",
                    callback_data=f"alert:take:{item.alert.id}",
                )
            ]
            for item in items
            if item.alert.id in mine
        ]
        markup = InlineKeyboardMarkup(rows) if rows else None
    await message_of(update).reply_text(text, reply_markup=markup)


HANDLERS = [CommandHandler("alerts", show_alerts)]
