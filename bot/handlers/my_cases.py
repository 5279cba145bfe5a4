"""/mycases: the families I am coach, backup or covering coach of, what needs doing first."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.long_text import reply_long
from bot.handlers.required import message_of
from bot.services.cases import views as case_views
from bot.texts.cases import my_cases_text


async def show_my_cases(update: Update, context: AchtervangContext) -> None:
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        items = await case_views.list_mine(
            session, runtime.config, context.member, runtime.clock.now()
        )
        await session.commit()
    await reply_long(message_of(update), my_cases_text(context.tr, items))


HANDLERS = [CommandHandler("mycases", show_my_cases)]
