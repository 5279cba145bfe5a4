"""What happens to updates no feature handled, and to errors."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.handlers.context import AchtervangContext
from bot.handlers.required import message_of, present, query_of
from bot.operations.log_privacy import exception_outline

log = logging.getLogger(__name__)


async def not_understood(update: Update, context: AchtervangContext) -> None:
    await message_of(update).reply_text(
        context.tr._("I didn't understand that. /help lists what you can do.")
    )


async def stale_button(update: Update, context: AchtervangContext) -> None:
    await query_of(update).answer(context.tr._("This button no longer works."), show_alert=True)


async def on_error(update: object, context: AchtervangContext) -> None:
    # The outline only: the exception's text may hold what someone typed or SQL parameters.
    error = present(context.error, "the error")  # PTB sets it for every error handler
    log.error("error while handling an update: %s", exception_outline(error))
    log.debug("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        # Say that it failed; never echo the exception, it may hold case data.
        try:
            await update.effective_message.reply_text(
                context.tr._("Something went wrong on my side. Please try again in a moment.")
            )
        except Exception:
            log.exception("could not report the error to the user")


HANDLERS = [
    MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, not_understood),
    CallbackQueryHandler(stale_button),
]
