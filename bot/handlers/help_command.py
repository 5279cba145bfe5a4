from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers import registry
from bot.handlers.context import AchtervangContext
from bot.handlers.required import message_of
from bot.i18n import Translator
from bot.models import Role


def help_text(tr: Translator, role: Role) -> str:
    lines = [tr._("What you can do:")]
    lines += [f"/{spec.name} — {tr._(spec.description)}" for spec in registry.commands_for(role)]
    if role in registry.TEAM:
        lines += [
            "",
            tr._(
                "Home visit: send /visit with until when (for example /visit until 15:30, or "
                "/visit CODE 90m); if you have not pressed Safely back by then, I ask once more "
                "and then alert the colleague on duty with your phone number and shared location."
            ),
            tr._("In danger, send /sos: the colleague on duty is alerted at once."),
        ]
    return "\n".join(lines)


async def show_help(update: Update, context: AchtervangContext) -> None:
    await message_of(update).reply_text(help_text(context.tr, context.member.role))


HANDLERS = [CommandHandler("help", show_help)]
