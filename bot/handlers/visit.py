"""Safe home visits: /visit announces one, /back_safe (or the button) ends it, /sos raises
the safety alert at once, /visits shows who is out. A shared live location is kept while the
visit runs. Decisions live in bot.services.visits.lifecycle; this only parses and replies."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.handlers.context import AchtervangContext
from bot.handlers.registry import TEAM
from bot.handlers.replies import reply
from bot.handlers.required import data_of, message_of, present, query_of
from bot.i18n import Translator
from bot.models import Alert, AlertStatus, Coach, Visit
from bot.scheduling import jobs
from bot.scheduling.alert_notices import card_facts
from bot.scheduling.dispatcher import dispatch_due, send_claimed
from bot.services.visits import lifecycle as visits
from bot.services.visits import overview as visits_overview
from bot.services.visits.input import parse
from bot.services.visits.lifecycle import CheckedOut, Refusal
from bot.texts import visits as visit_text
from bot.texts.alerts import DECLINE, TAKE, card, taken_line

log = logging.getLogger(__name__)
_PREFIX = "visit:"


def _markup(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def _refusal(context: AchtervangContext, refusal: Refusal) -> str:
    tr = context.tr
    return {
        Refusal.CODE_NOT_YOURS: tr._(
            "That is not a family you may name here. Use the code of one of your families, "
            "or leave it out. Nothing was started."
        ),
        Refusal.BAD_TIME: tr._(
            "That end time does not work: give a time later today (until 15:30) or a length "
            "(90m), at most %(hours)d hours. Nothing was started.",
            hours=int(context.runtime.config.visits.max_length.total_seconds() // 3600),
        ),
        Refusal.NO_VISIT: tr._("You have no home visit running."),
        Refusal.ALERT_RUNNING: tr._(
            "A safety alert is running for this visit. If you are safe, press Safely back."
        ),
    }[refusal]


async def _confirm(
    update: Update,
    context: AchtervangContext,
    visit: Visit,
    edit: bool,
    late_at: datetime | None = None,
) -> None:
    """`late_at`: when a /visit that reached the bot late arrived, to say so."""
    config = context.runtime.config.visits
    text = visit_text.started(context.tr, visit, config.reminder_before, config.grace)
    if late_at is not None:
        text = visit_text.arrived_late(context.tr, visit, late_at) + "\n\n" + text
    markup = _markup(visit_text.visit_buttons(context.tr, visit, config.extend_by))
    if edit and update.callback_query is not None:
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    else:
        await message_of(update).reply_text(text, reply_markup=markup)
    await jobs.wake_at_next_deadline(context.application)


async def start_visit(update: Update, context: AchtervangContext) -> None:
    runtime, tr = context.runtime, context.tr
    request = parse(context.args or [])
    if request is None:
        await message_of(update).reply_text(
            tr._(
                "Use: /visit [CODE] [until 15:30 | 90m] [note for colleagues], for example "
                "/visit until 15:30 aggression expected. Nothing was started."
            )
        )
        return
    now = runtime.clock.now()
    written_at = message_of(update).date
    async with runtime.sessionmaker() as session:
        visit = await visits.start(
            session, runtime.config, context.member, request, now, written_at
        )
        await session.commit()
    if isinstance(visit, Refusal):
        await message_of(update).reply_text(_refusal(context, visit))
        return
    if visit.expected_end is None:
        await message_of(update).reply_text(
            visit_text.ask_length(tr, visit), reply_markup=_markup(visit_text.length_buttons(visit))
        )
        return
    # A late /visit began when it was sent, before it reached us.
    late_at = now if visit.started_at < now else None
    await _confirm(update, context, visit, edit=False, late_at=late_at)


async def back_safe(update: Update, context: AchtervangContext) -> None:
    await _check_out(update, context, None)


async def _check_out(update: Update, context: AchtervangContext, visit_id: int | None) -> None:
    runtime, tr = context.runtime, context.tr
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        result = await visits.check_out(session, context.member, visit_id, now)
        await session.commit()
    if isinstance(result, Refusal):
        await reply(update, _refusal(context, result))
        return
    text = tr._("Welcome back. Your home visit is closed and your location deleted.")
    if result.alert is not None:
        text += "\n" + tr._("The colleagues who were alerted are told you are safe.")
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    await message_of(update).reply_text(text)
    await _mark_safe(context, result, now)
    await jobs.wake_at_next_deadline(context.application)


async def _mark_safe(context: AchtervangContext, result: CheckedOut, now: datetime) -> None:
    """Every safety-alert message on screen now says the coach is back, without buttons."""
    if result.shown and result.alert is not None:
        name = context.member.name
        await _redraw(
            context, result.alert, result.shown, lambda tr: visit_text.safe_line(tr, name, now)
        )


async def _redraw(
    context: AchtervangContext,
    alert: Alert,
    shown: list[tuple[int, int, int]],
    last_line: Callable[[Translator], str] | None,
    buttons: bool = False,
) -> None:
    """Rewrites the safety alert's messages on screen from what is stored now."""
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        facts = await card_facts(session, alert, runtime.clock.now())
        coaches = {cid: await session.get(Coach, cid) for _, _, cid in shown}
    for chat_id, message_id, coach_id in shown:
        tr = runtime.translator(present(coaches[coach_id], "the coach shown it").language)
        text = card(tr, alert, facts)
        if last_line is not None:
            text += "\n\n" + last_line(tr)
        markup = None
        if buttons:
            markup = _markup(
                [
                    [
                        (tr._(TAKE), f"alert:take:{alert.id}"),
                        (tr._(DECLINE), f"alert:decline:{alert.id}"),
                    ]
                ]
            )
        try:
            await context.bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
        except TelegramError as exc:
            log.warning("could not update safety alert %s/%s: %s", chat_id, message_id, exc)


async def _show_move(context: AchtervangContext, located: visits.Located) -> None:
    """A running safety alert shows where the coach's live location has moved to."""
    alert = located.alert
    if alert is None or not located.shown:
        return
    taker = None
    if alert.status == AlertStatus.TAKEN and alert.taken_by_id is not None:
        async with context.runtime.sessionmaker() as session:
            taker = await session.get(Coach, alert.taken_by_id)
    if taker is not None:
        name = taker.name
        await _redraw(context, alert, located.shown, lambda tr: taken_line(tr, name, alert))
    else:
        await _redraw(context, alert, located.shown, None, buttons=True)


async def sos(update: Update, context: AchtervangContext) -> None:
    await _sos(update, context, None)


async def _sos(update: Update, context: AchtervangContext, visit_id: int | None) -> None:
    runtime, tr = context.runtime, context.tr
    async with runtime.sessionmaker() as session:
        _visit, raised = await visits.sos(
            session, runtime.config, context.member, visit_id, runtime.clock.now()
        )
        await session.commit()
        if raised is not None:
            await send_claimed(context.bot, runtime, session, raised.claimed)
    if update.callback_query is not None:
        await update.callback_query.answer()
    await message_of(update).reply_text(
        tr._(
            "🆘 Safety alert sent to the colleague on duty, with your phone number and "
            "location if shared. Call 112 if you are in danger. Press /back_safe when you "
            "are safe."
        )
        if raised is not None
        else tr._("Your safety alert is already on its way. Call 112 if you are in danger.")
    )
    await dispatch_due(context.bot, runtime)
    await jobs.wake_at_next_deadline(context.application)


async def on_button(update: Update, context: AchtervangContext) -> None:
    query = query_of(update)
    runtime, tr = context.runtime, context.tr
    parts = data_of(query).split(":")
    action = parts[1] if len(parts) > 1 else ""
    if (
        context.coach is None
        or context.coach.role not in TEAM
        or len(parts) < 3
        or not parts[2].isdigit()
    ):
        await query.answer()
        return
    visit_id = int(parts[2])
    if action == "safe":
        await _check_out(update, context, visit_id)
    elif action == "sos":
        await _sos(update, context, visit_id)
    elif action == "ext":
        async with runtime.sessionmaker() as session:
            visit = await visits.extend(
                session, runtime.config, context.coach, visit_id, runtime.clock.now()
            )
            await session.commit()
        if isinstance(visit, Refusal):
            await reply(update, _refusal(context, visit))
            return
        await query.answer(
            tr._(
                "Extended until %(end)s.",
                end=tr.time(present(visit.expected_end, "the new end"), visit_text.HHMM),
            )
        )
        await _confirm(update, context, visit, edit=False)
    elif action == "len" and len(parts) == 4 and parts[3].isdigit():
        async with runtime.sessionmaker() as session:
            visit = await visits.set_length(
                session, runtime.config, context.coach, visit_id, int(parts[3]), runtime.clock.now()
            )
            await session.commit()
        if isinstance(visit, Refusal):
            await reply(update, _refusal(context, visit))
            return
        await query.answer()
        await _confirm(update, context, visit, edit=True)
    else:
        await query.answer()


async def overview(update: Update, context: AchtervangContext) -> None:
    runtime, tr = context.runtime, context.tr
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        if not await visits_overview.may_overview(session, runtime.config, context.member, now):
            await message_of(update).reply_text(
                tr._("Only team leads and the coach on duty see the running home visits.")
            )
            return
        found = await visits_overview.running(session, now)
    if not found:
        await message_of(update).reply_text(tr._("No home visits are running."))
        return
    lines = [tr._("Running home visits:")]
    for item in found:
        visit = item.visit
        line = tr._(
            "%(name)s%(about)s until %(end)s",
            name=item.coach.name,
            about=visit_text.about(tr, visit),
            end=tr.time(present(visit.expected_end, "a running visit's end"), visit_text.HHMM),
        )
        if visit.alert_id is not None:
            line = "🆘 " + line + " — " + tr._("safety alert raised")
        elif item.overdue:
            line = "⚠️ " + line + " — " + tr._("overdue")
        lines.append(line)
    await message_of(update).reply_text("\n".join(lines))


async def on_location(update: Update, context: AchtervangContext) -> None:
    """A shared location, or a live location moving (an edited message): kept for the running
    visit only. Handled here, ahead of the feature handlers, and no further: an edit must not
    reach handlers that treat edits as repeated commands."""
    message = update.effective_message
    coach = context.coach
    if message is None or message.location is None or coach is None or coach.role not in TEAM:
        return
    runtime = context.runtime
    location = message.location
    async with runtime.sessionmaker() as session:
        located = await visits.record_location(
            session,
            coach,
            location.latitude,
            location.longitude,
            live="live_period" in location.to_dict(),
            now=runtime.clock.now(),
        )
        await session.commit()
    await _show_move(context, located)
    if update.message is not None:  # a first share, not a live update: say what happens
        tr = context.tr
        await message.reply_text(
            tr._("Location received for your home visit. It is deleted when you are back.")
            if located.kept
            else tr._("You have no home visit running, so I did not keep your location.")
        )
    raise ApplicationHandlerStop


_PRIVATE = filters.ChatType.PRIVATE
HANDLERS = [
    CommandHandler("visit", start_visit),
    CommandHandler("back_safe", back_safe),
    CommandHandler("sos", sos),
    CommandHandler("visits", overview),
    CallbackQueryHandler(on_button, pattern=f"^{_PREFIX}"),
]
# Its own group, between the access gate and the feature handlers.
LOCATION_HANDLERS = [
    MessageHandler(
        _PRIVATE
        & filters.LOCATION
        & (filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE),
        on_location,
    )
]
