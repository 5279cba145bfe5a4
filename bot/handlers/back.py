"""/back: end my current absence now (a team lead: /back Name). Backups are released, the
returning coach gets a handover summary and the backups a thank-you."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers.absent import refusal_text
from bot.handlers.context import AchtervangContext
from bot.handlers.required import message_of
from bot.scheduling.dispatcher import dispatch_due
from bot.services.absence import reporting as absences
from bot.services.absence.reporting import Refusal


async def back(update: Update, context: AchtervangContext) -> None:
    runtime, tr, actor = context.runtime, context.tr, context.member
    name = " ".join(context.args or []) or None
    async with runtime.sessionmaker() as session:
        subject = await absences.resolve_subject(session, actor, name)
        if isinstance(subject, Refusal):
            await message_of(update).reply_text(refusal_text(tr, subject))
            return
        result = await absences.end_now(
            session, runtime.config, actor=actor, coach=subject, now=runtime.clock.now()
        )
        if isinstance(result, Refusal):
            await message_of(update).reply_text(refusal_text(tr, result))
            return
        await session.commit()
    if subject.id == actor.id:
        text = tr._(
            "Welcome back, %(name)s. Your absence has ended and your back-ups are released. "
            "A summary of your families follows.",
            name=subject.name,
        )
    else:
        text = tr._(
            "%(name)s is back. Their absence has ended and their back-ups are released.",
            name=subject.name,
        )
    await message_of(update).reply_text(text)
    await dispatch_due(context.bot, runtime)


HANDLERS = [CommandHandler("back", back)]
