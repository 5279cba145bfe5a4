"""/caseload: families per coach against their limit; /covers: who covers whom now. Both
private only (the registry keeps them out of groups): /covers names case codes to leads."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.long_text import reply_long
from bot.handlers.required import message_of
from bot.services.absence.covers import coverage, current_absences
from bot.services.audit import trail as audit
from bot.services.cases.caseload import caseloads
from bot.texts.caseload import caseload_text, covers_text


async def show_caseload(update: Update, context: AchtervangContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    today = runtime.config.local_date(now)
    async with runtime.sessionmaker() as session:
        away = {r.coach_id: r.kind for r in reversed(await current_absences(session, now))}
        loads = await caseloads(session, today, away)
    await reply_long(message_of(update), caseload_text(context.tr, loads))


async def show_covers(update: Update, context: AchtervangContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        absences = await coverage(session, now, runtime.config.tz)
        # Case codes of other coaches' families may be shown: who looked is on record.
        audit.record(
            session,
            at=now,
            action="covers.view",
            outcome="shown",
            actor=context.coach,
            detail=f"{len(absences)} absent",
        )
        await session.commit()
    await reply_long(message_of(update), covers_text(context.tr, absences, context.member))


HANDLERS = [CommandHandler("caseload", show_caseload), CommandHandler("covers", show_covers)]
