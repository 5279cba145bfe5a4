"""/profile workdays <days>: a coach sets the days they work (office-hours duties then never
fall on another day); /profile shows them. The workdays part of /profile, kept on its own so
it can sit beside other profile fields: `profile_workdays` renders or edits it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.models import Coach
from bot.scheduling.jobs import kick
from bot.services.team import workdays
from bot.texts.rota import weekdays_text
from bot.texts.split import excerpt

WORDS = {"workdays", "werkdagen"}


async def profile_workdays(update: Update, context: AchtervangContext, args: list[str]) -> None:
    """No arguments: shows the coach's workdays. `workdays <days>`: sets them."""
    runtime, tr = context.runtime, context.tr
    if args and args[0].lower() in WORDS and len(args) >= 2:
        days = workdays.parse(" ".join(args[1:]))
        if days is None:
            await update.effective_message.reply_text(
                tr._(
                    "I can't read '%(text)s' as days. Use for example /profile workdays mon-thu "
                    "or /profile workdays mon,tue,thu,fri (or all).",
                    text=excerpt(" ".join(args[1:])),
                )
            )
            return
        async with runtime.sessionmaker() as session:
            coach = await session.get(Coach, context.coach.id)
            workdays.set_workdays(session, coach, days, by=coach, now=runtime.clock.now())
            await session.commit()
        kick(context.application)
        await update.effective_message.reply_text(
            tr._(
                "Saved: you work on %(days)s. Office-hours duties on other days go to a colleague.",
                days=weekdays_text(tr, workdays.from_stored(workdays.stored(days))),
            )
        )
        return
    days = workdays.from_stored(context.coach.workdays)
    await update.effective_message.reply_text(
        tr._(
            "Your workdays: %(days)s. Change them with /profile workdays mon-thu (or all).",
            days=weekdays_text(tr, days),
        )
    )


async def profile(update: Update, context: AchtervangContext) -> None:
    await profile_workdays(update, context, context.args or [])


HANDLERS = [CommandHandler("profile", profile)]
