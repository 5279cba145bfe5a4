"""/calendar: the coach's own shifts for the coming weeks as an .ics file for their calendar app."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers import calendar_link
from bot.handlers.context import AchtervangContext
from bot.handlers.required import message_of
from bot.services.rosters.calendar_links import Ask
from bot.services.rosters.ics import DEFAULT_WEEKS, load_export, to_ics
from bot.texts.roster import when

FILENAME = "achtervang.ics"


async def send_calendar(update: Update, context: AchtervangContext) -> None:
    runtime, tr, coach = context.runtime, context.tr, context.member
    ask = calendar_link.ASKS.get((context.args or [""])[0].lower(), Ask.OFFER)
    if ask is not Ask.OFFER:
        await calendar_link.offer(message_of(update), context, ask)
        return
    async with runtime.sessionmaker() as session:
        export = await load_export(
            session, runtime.config, runtime.clock.now(), DEFAULT_WEEKS, holder=coach.name
        )
    message = message_of(update)
    shifts = export.shifts
    if not shifts:
        await message.reply_text(
            tr._(
                "You have no shifts in the coming %(weeks)d weeks, so there is no calendar file.",
                weeks=DEFAULT_WEEKS,
            )
        )
        await calendar_link.offer(message, context, ask)
        return
    content = to_ics(
        tr,
        shifts,
        name=tr._("Achtervang: shifts of %(name)s", name=coach.name),
        stamp=runtime.clock.now(),
    )
    caption = tr.n_(
        "%(n)d shift, %(start)s – %(end)s. Open the file to add it to your calendar.",
        "%(n)d shifts, %(start)s – %(end)s. Open the file to add them to your calendar.",
        len(shifts),
        start=when(tr, shifts[0].start),
        end=when(tr, max(s.end for s in shifts)),
    )
    await message.reply_document(content, filename=FILENAME, caption=caption)
    await calendar_link.offer(message, context, ask)


HANDLERS = [CommandHandler("calendar", send_calendar)]
