"""/rosterreport: duty hours against each coach's fte share, gaps, coaches rostered while
absent and rest-rule conflicts, and the roster in force against the latest plan (team lead;
the access gate keeps it to leads and private chats)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.long_text import reply_long
from bot.handlers.required import message_of
from bot.services.rosters import plans
from bot.services.rosters.report import build_report
from bot.texts.roster_report import report_text
from bot.texts.rota_plan import comparison_text


async def show_report(update: Update, context: AchtervangContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        report = await build_report(session, runtime.config, now)
        comparison = await plans.compare(session, runtime.config, now)
    text = report_text(context.tr, report)
    if comparison is not None:
        text += "\n\n" + comparison_text(context.tr, comparison)
    await reply_long(message_of(update), text)


HANDLERS = [CommandHandler("rosterreport", show_report)]
