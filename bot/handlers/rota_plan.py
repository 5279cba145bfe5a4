"""/rota plan <date> <weeks>w: placeholder until the planner lands."""

from __future__ import annotations

from telegram import Update

from bot.handlers.context import AchtervangContext


async def propose(update: Update, context: AchtervangContext, args: list[str]) -> None:
    await update.effective_message.reply_text("…")


HANDLERS: list = []
