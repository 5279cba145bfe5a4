"""Replying with texts longer than one Telegram message allows."""

from __future__ import annotations

from telegram import Message

from bot.texts.split import split_message


async def reply_long(message: Message, text: str) -> None:
    for piece in split_message(text):
        await message.reply_text(piece)
