"""Short replies shared by several handlers."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import BadRequest

from bot.i18n import Translator
from bot.models import Role


async def reply(update: Update, text: str, **kwargs: Any) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text, **kwargs)


def role_label(tr: Translator, role: Role) -> str:
    labels = {
        Role.COACH: tr._("coach"),
        Role.TEAMLEAD: tr._("team lead"),
        Role.PARTNER: tr._("partner"),
        Role.ADMIN: tr._("administrator"),
    }
    return labels[role]


async def drop_buttons(query: CallbackQuery) -> None:
    """Takes the buttons off the message pressed. A second tap (or a forged press) finds them
    gone already, which Telegram refuses as 'message is not modified': nothing to do then."""
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as failed:
        if "not modified" not in str(failed).lower():
            raise


async def edit_text(query: CallbackQuery, text: str, **kwargs: Any) -> None:
    """Replaces the pressed message's text; the same text again (a second tap) is no error."""
    try:
        await query.edit_message_text(text, **kwargs)
    except BadRequest as failed:
        if "not modified" not in str(failed).lower():
            raise
