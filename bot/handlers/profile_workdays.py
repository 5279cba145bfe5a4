"""/profile workdays <days>: a member sets the days they work (office-hours duties then never
fall on another day). The workdays part of /profile (bot/handlers/profile.py shows the line
and hands the sub-command here)."""

from __future__ import annotations

from telegram import Update

from bot.handlers.context import AchtervangContext
from bot.handlers.required import message_of, present
from bot.i18n import Translator
from bot.models import Coach
from bot.scheduling.jobs import kick
from bot.services.team import workdays
from bot.texts.rota import weekdays_text
from bot.texts.split import excerpt

WORDS = {"workdays", "werkdagen"}


def workdays_line(tr: Translator, coach: Coach) -> str:
    return tr._(
        "Workdays: %(days)s (change with /profile workdays mon-thu, or all)",
        days=weekdays_text(tr, workdays.from_stored(coach.workdays)),
    )


async def profile_workdays(update: Update, context: AchtervangContext, args: list[str]) -> None:
    """`workdays <days>`: sets the member's workdays; `workdays` alone shows them."""
    runtime, tr = context.runtime, context.tr
    if len(args) < 2:
        await message_of(update).reply_text(workdays_line(tr, context.member))
        return
    days = workdays.parse(" ".join(args[1:]))
    if days is None:
        await message_of(update).reply_text(
            tr._(
                "I can't read '%(text)s' as days. Use for example /profile workdays mon-thu "
                "or /profile workdays mon,tue,thu,fri (or all).",
                text=excerpt(" ".join(args[1:])),
            )
        )
        return
    async with runtime.sessionmaker() as session:
        coach = present(await session.get(Coach, context.member.id), "the member's record")
        workdays.set_workdays(session, coach, days, by=coach, now=runtime.clock.now())
        await session.commit()
    kick(context.application)
    await message_of(update).reply_text(
        tr._(
            "Saved: you work on %(days)s. Office-hours duties on other days go to a colleague.",
            days=weekdays_text(tr, workdays.from_stored(workdays.stored(days))),
        )
    )
