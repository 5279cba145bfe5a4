"""Telegram's command menu: the public list per language, and each member's own list."""

from __future__ import annotations

import logging

from sqlalchemy import select
from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.handlers import registry
from bot.i18n import LANGUAGES, Translator
from bot.models import Coach
from bot.runtime import Runtime

log = logging.getLogger(__name__)


def bot_commands(tr: Translator, specs: list[registry.CommandSpec]) -> list[BotCommand]:
    return [BotCommand(spec.name, tr._(spec.description)) for spec in specs]


async def register_public_menu(bot: ExtBot, runtime: Runtime) -> None:
    public = registry.commands_for(None)
    # Without a language code this is what users with any other app language see.
    await bot.set_my_commands(bot_commands(runtime.translator(), public))
    for language in LANGUAGES:
        await bot.set_my_commands(
            bot_commands(runtime.translator(language), public), language_code=language
        )


async def register_member_menu(bot: ExtBot, runtime: Runtime, coach: Coach) -> None:
    if coach.telegram_user_id is None:
        return
    commands = bot_commands(runtime.translator(coach.language), registry.commands_for(coach.role))
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(coach.telegram_user_id))
    except TelegramError as exc:
        # The member may have blocked the bot; the menu is a convenience, not worth failing for.
        log.warning("could not set the command menu for coach %s: %s", coach.id, exc)


async def register_all_member_menus(bot: ExtBot, runtime: Runtime) -> None:
    async with runtime.sessionmaker() as session:
        members = (
            await session.scalars(
                select(Coach).where(Coach.active.is_(True), Coach.telegram_user_id.is_not(None))
            )
        ).all()
    for coach in members:
        await register_member_menu(bot, runtime, coach)
