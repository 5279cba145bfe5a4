"""/myshifts: the coming shifts of the coach who asks."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.required import message_of
from bot.services.rosters.store import load_roster
from bot.texts.roster import duty_name, span_text

AHEAD = timedelta(weeks=4)


async def show_my_shifts(update: Update, context: AchtervangContext) -> None:
    runtime, tr, coach = context.runtime, context.tr, context.member
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        state = await load_roster(session, runtime.config, now, now + AHEAD)
    # Whole shifts: one under way since yesterday or running past four weeks keeps its times.
    shifts = state.overlapping(now, now + AHEAD)
    mine = [s for s in shifts if s.holder == coach.name]
    # Shifts the rotation gives me while I am absent: I should know they were taken off me.
    absent = [s for s in shifts if s.absent == coach.name]
    if not mine and not absent:
        await message_of(update).reply_text(tr._("You have no shifts in the coming four weeks."))
        return
    lines = [tr._("Your shifts in the coming four weeks:")]
    lines += [f"• {span_text(tr, s.start, s.end)}: {duty_name(tr, s.duty)}" for s in mine]
    if absent:
        lines.append("")
        lines.append(tr._("While you are absent these are open (the team lead is told):"))
        lines += [f"• {span_text(tr, s.start, s.end)}: {duty_name(tr, s.duty)}" for s in absent]
    await message_of(update).reply_text("\n".join(lines))


HANDLERS = [CommandHandler("myshifts", show_my_shifts)]
