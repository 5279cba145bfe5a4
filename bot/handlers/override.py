"""/override <duty> <day> [HH:MM-HH:MM] <name>: a team lead assigns a shift to a coach."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.required import message_of
from bot.i18n import Translator
from bot.scheduling.jobs import kick
from bot.services.rosters import rotations
from bot.services.rosters.overrides import Assigned, Problem, Refusal, assign, parse_request
from bot.texts.roster import duty_name, span_text

log = logging.getLogger(__name__)


def refusal_text(tr: Translator, refusal: Refusal) -> str:
    usage = tr._(
        "Use: /override <duty> <day> [HH:MM-HH:MM] <name>, for example "
        "/override piket 24-11 Cem Yilmaz or /override bureaudienst morgen 12:00-17:00 Anna. "
        "Duties: bureaudienst, piket, piket2."
    )
    texts = {
        Problem.USAGE: usage,
        Problem.UNKNOWN_DUTY: tr._("'%(text)s' is not a duty.", text=refusal.detail) + " " + usage,
        Problem.NOT_ROSTERED: tr._(
            "That duty has no rotation yet; a team lead sets one with /rota."
        ),
        Problem.BAD_DAY: tr._(
            "'%(text)s' is not a day I know. Use for example vandaag, morgen, 24-11 or 24-11-2026.",
            text=refusal.detail,
        ),
        Problem.UNKNOWN_COACH: tr._(
            "I don't know an active team member called '%(text)s'.", text=refusal.detail
        ),
        Problem.AMBIGUOUS_COACH: tr._(
            "'%(text)s' could be several people: %(names)s. Give the full name.",
            text=refusal.detail,
            names=", ".join(refusal.candidates),
        ),
        Problem.IN_THE_PAST: tr._("That shift is already over; nothing was changed."),
        Problem.NOT_HELD_THEN: tr._("Nobody holds that duty at that time; nothing was changed."),
        Problem.COACH_ABSENT: tr._(
            "%(name)s is absent then; nothing was changed.", name=refusal.detail
        ),
    }
    return texts[refusal.problem]


async def override_shift(update: Update, context: AchtervangContext) -> None:
    runtime, tr, lead = context.runtime, context.tr, context.member
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        # The rotations a lead edits with /rota decide which duties are rostered.
        config = await rotations.effective_config(session, runtime.config, now, now)
        request = parse_request(context.args or [], now.astimezone(config.tz).date(), config)
        if isinstance(request, Refusal):
            await message_of(update).reply_text(refusal_text(tr, request))
            return
        result = await assign(session, runtime.config, lead=lead, request=request, now=now)
        if isinstance(result, Refusal):
            await message_of(update).reply_text(refusal_text(tr, result))
            return
        await session.commit()
    await message_of(update).reply_text(_confirmation(tr, result))
    await _tell_the_coaches(context, result)
    kick(context.application)


def _confirmation(tr: Translator, result: Assigned) -> str:
    before = sorted({s.holder or tr._("nobody") for s in result.replaced})
    return tr._(
        "Done: %(duty)s %(span)s is now held by %(name)s (was: %(before)s).",
        duty=duty_name(tr, result.duty),
        span=span_text(tr, result.start, result.end),
        name=result.coach.name,
        before=", ".join(before),
    )


async def _tell_the_coaches(context: AchtervangContext, result: Assigned) -> None:
    runtime, lead = context.runtime, context.member
    messages = []
    if result.coach.id != lead.id:
        tr = runtime.translator(result.coach.language)
        messages.append(
            (
                result.coach.telegram_user_id,
                tr._(
                    "%(lead)s has given you %(duty)s %(span)s.",
                    lead=lead.name,
                    duty=duty_name(tr, result.duty),
                    span=span_text(tr, result.start, result.end),
                ),
            )
        )
    for coach in result.previous:
        if coach.telegram_user_id is None or coach.id == lead.id:
            continue
        tr = runtime.translator(coach.language)
        messages.append(
            (
                coach.telegram_user_id,
                tr._(
                    "%(lead)s has given your %(duty)s %(span)s to %(name)s.",
                    lead=lead.name,
                    duty=duty_name(tr, result.duty),
                    span=span_text(tr, result.start, result.end),
                    name=result.coach.name,
                ),
            )
        )
    for chat_id, text in messages:
        if chat_id is None:
            continue
        try:
            await context.bot.send_message(chat_id, text)
        except TelegramError as exc:
            # The override stands; the reachability check reports coaches the bot cannot reach.
            log.warning("could not tell %s about an override: %s", chat_id, exc)


HANDLERS = [CommandHandler("override", override_shift)]
