"""Short replies shared by several handlers."""

from __future__ import annotations

from telegram import Update

from bot.i18n import Translator
from bot.models import Role


async def reply(update: Update, text: str, **kwargs: object) -> None:
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
