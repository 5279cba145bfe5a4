"""/roster [week]: the week's shifts per day in local time, with buttons to page weeks.
Rosters name coaches, never families, so this also answers in the team group."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.required import data_of, message_of, query_of
from bot.services import parsing
from bot.services.rosters.input import parse_week
from bot.services.rosters.store import load_roster
from bot.texts.roster_week import week_bounds, week_text
from bot.texts.split import excerpt

_PREFIX = "roster:"


async def show_roster(update: Update, context: AchtervangContext) -> None:
    runtime, tr = context.runtime, context.tr
    today = runtime.clock.now().astimezone(runtime.config.tz).date()
    asked = " ".join(context.args or [])
    monday = parse_week(asked, today)
    if monday is None:
        await message_of(update).reply_text(
            tr._(
                "I don't know which week '%(asked)s' is. Give a week number (1–53), "
                "'next', or a date, for example /roster 49 or /roster 30-11.",
                asked=excerpt(asked),
            )
        )
        return
    text, keyboard = await _render(context, monday)
    await message_of(update).reply_text(text, reply_markup=keyboard)


async def page_roster(update: Update, context: AchtervangContext) -> None:
    query = query_of(update)
    monday = parsing.iso_date(data_of(query).removeprefix(_PREFIX))
    if monday is None or monday.weekday() != 0:
        await query.answer()
        return
    text, keyboard = await _render(context, monday)
    await query.answer()
    await query.edit_message_text(text, reply_markup=keyboard)


async def _render(context: AchtervangContext, monday: date) -> tuple[str, InlineKeyboardMarkup]:
    runtime, tr = context.runtime, context.tr
    start, end = week_bounds(monday, runtime.config.tz)
    async with runtime.sessionmaker() as session:
        state = await load_roster(session, runtime.config, start, end)
    if not state.config.duties.rostered_duties():
        text = tr._("No duty rosters are set up yet. A team lead sets them with /rota.")
    else:
        text = week_text(tr, monday, state.overlapping(start, end))
    before, after = monday - timedelta(days=7), monday + timedelta(days=7)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "◀ " + tr._("week %(week)d", week=before.isocalendar().week),
                    callback_data=_PREFIX + before.isoformat(),
                ),
                InlineKeyboardButton(
                    tr._("week %(week)d", week=after.isocalendar().week) + " ▶",
                    callback_data=_PREFIX + after.isoformat(),
                ),
            ]
        ]
    )
    return text, keyboard


HANDLERS = [
    CommandHandler("roster", show_roster),
    CallbackQueryHandler(page_roster, pattern=f"^{_PREFIX}"),
]
