"""Edited messages: Telegram sends an update when someone edits a message they sent. An edit
is never a new command or a new answer (an edited /crisis would otherwise raise a second
alert): nothing is done, and in a private chat the sender is told so."""

from __future__ import annotations

from telegram import Chat, Update
from telegram.ext import MessageHandler, filters

from bot.handlers.context import AchtervangContext
from bot.handlers.required import present


async def edited(update: Update, context: AchtervangContext) -> None:
    message = present(update.edited_message, "the edited message")
    if message.chat.type != Chat.PRIVATE:
        return
    text = context.tr._(
        "I don't act on edited messages: nothing new was sent and nothing was changed (an "
        "edited /crisis raises no second alert). Send a new message instead; to add to a "
        "crisis alert, tell the coach who takes it."
    )
    await message.reply_text(text)


# Registered ahead of every feature handler, so that no command or conversation sees an edit.
HANDLERS = [MessageHandler(filters.UpdateType.EDITED_MESSAGE, edited)]
