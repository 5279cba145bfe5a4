"""/language: each member picks Dutch or English for everything the bot tells them."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.menu import register_member_menu
from bot.handlers.required import data_of, message_of, present, query_of
from bot.i18n import LANGUAGES
from bot.models import Coach
from bot.services.audit import trail as audit

# Language names are written in their own language, so anyone can find theirs.
_NAMES = {"nl": "Nederlands", "en": "English"}
_PREFIX = "lang:"


async def ask_language(update: Update, context: AchtervangContext) -> None:
    tr = context.tr
    if context.args:
        choice = context.args[0].lower()
        if choice in LANGUAGES:
            await _set_language(update, context, choice)
        else:
            await message_of(update).reply_text(
                tr._("Unknown language. Choose one of: %(options)s.", options=", ".join(LANGUAGES))
            )
        return
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_NAMES[lang], callback_data=_PREFIX + lang) for lang in LANGUAGES]]
    )
    await message_of(update).reply_text(tr._("Which language should I use?"), reply_markup=keyboard)


async def language_chosen(update: Update, context: AchtervangContext) -> None:
    query = query_of(update)
    choice = data_of(query).removeprefix(_PREFIX)
    if choice not in LANGUAGES:
        await query.answer()
        return
    await _set_language(update, context, choice)


async def _set_language(update: Update, context: AchtervangContext, language: str) -> None:
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        coach = present(await session.get(Coach, context.member.id), "the coach")
        coach.language = language
        audit.record(
            session,
            at=runtime.clock.now(),
            action="language.set",
            outcome="ok",
            actor=coach,
            detail=language,
        )
        await session.commit()
    tr = runtime.translator(language)
    text = tr._("From now on I will speak English with you.")
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text(text)
    else:
        await message_of(update).reply_text(text)
    await register_member_menu(context.bot, runtime, coach)


HANDLERS = [
    CommandHandler("language", ask_language),
    CallbackQueryHandler(language_chosen, pattern=f"^{_PREFIX}"),
]
