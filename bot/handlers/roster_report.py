"""/rosterreport: duty hours against each coach's fte share, gaps, coaches rostered while
absent and rest-rule conflicts (team lead; the access gate keeps it to leads and private
chats)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.long_text import reply_long
from bot.services.rosters.report import build_report
from bot.texts.roster_report import report_text


async def show_report(update: Update, context: AchtervangContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        report = await build_report(session, runtime.config, now)
    await reply_long(update.effective_message, report_text(context.tr, report))


HANDLERS = [CommandHandler("rosterreport", show_report)]
