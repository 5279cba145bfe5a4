"""/resolve: the coach who took a crisis alert says how it ended (buttons), then sends a one-line
note. /cancel stops; a plain /cancel with nothing going on says so."""

from __future__ import annotations

import warnings

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.handlers.context import AchtervangContext
from bot.handlers.replies import reply
from bot.handlers.required import data_of, message_of, present, query_of
from bot.models import Alert, AlertStatus
from bot.scheduling.dispatcher import dispatch_due
from bot.services import parsing
from bot.services.alerts import closing as alert_closing
from bot.services.alerts.closing import MAX_NOTE, OUTCOMES, Closed
from bot.texts.roster import WHEN

CHOOSING, NOTE = range(2)
_PREFIX = "resolve:"
_PENDING = "resolve_pending"


def _outcome_markup(context: AchtervangContext, alert: Alert) -> InlineKeyboardMarkup:
    tr = context.tr
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(tr._(label), callback_data=f"{_PREFIX}out:{alert.id}:{code}")]
            for code, label in OUTCOMES.items()
        ]
    )


def _outcome_question(context: AchtervangContext, alert: Alert) -> str:
    return context.tr._("How did crisis alert %(code)s end?", code=alert.case_code)


async def start_resolve(update: Update, context: AchtervangContext) -> int:
    runtime, tr = context.runtime, context.tr
    context.user_state.pop(_PENDING, None)
    async with runtime.sessionmaker() as session:
        mine = await alert_closing.taken_unresolved(session, context.member)
    message = message_of(update)
    if not mine:
        await message.reply_text(
            tr._("You have no crisis alert that you took and have not resolved yet.")
        )
        return ConversationHandler.END
    if len(mine) == 1:
        await message.reply_text(
            _outcome_question(context, mine[0]), reply_markup=_outcome_markup(context, mine[0])
        )
        return CHOOSING
    rows = [
        [
            InlineKeyboardButton(
                f"{alert.case_code} · {tr.datetime(alert.raised_at, WHEN)}",
                callback_data=f"{_PREFIX}pick:{alert.id}",
            )
        ]
        for alert in mine
    ]
    await message.reply_text(
        tr._("Which crisis alert do you want to resolve?"),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return CHOOSING


async def _still_mine(context: AchtervangContext, alert_id: int) -> Alert | None:
    async with context.runtime.sessionmaker() as session:
        alert = await session.get(Alert, alert_id)
    if alert is None or alert.status != AlertStatus.TAKEN or alert.taken_by_id != context.member.id:
        return None
    return alert


async def on_button(update: Update, context: AchtervangContext) -> int:
    query = query_of(update)
    tr = context.tr
    parts = data_of(query).split(":")
    action = parts[1] if len(parts) > 1 else ""
    alert_id = parsing.row_id(parts[2]) if len(parts) >= 3 else None
    if alert_id is None or action not in ("pick", "out"):
        await query.answer()
        return ConversationHandler.END
    alert = await _still_mine(context, alert_id)
    if alert is None:
        await reply(update, tr._("This alert is not yours to resolve, or it is resolved already."))
        return ConversationHandler.END
    await query.answer()
    if action == "pick":
        await query.edit_message_text(
            _outcome_question(context, alert), reply_markup=_outcome_markup(context, alert)
        )
        return CHOOSING
    outcome = parts[3] if len(parts) > 3 else ""
    if outcome not in OUTCOMES:
        return ConversationHandler.END
    context.user_state[_PENDING] = (alert.id, outcome)
    await query.edit_message_text(
        tr._(
            "%(code)s: %(outcome)s.\nNow send a one-line note on what happened (at most "
            "%(max)d characters). /cancel stops.",
            code=alert.case_code,
            outcome=tr._(OUTCOMES[outcome]),
            max=MAX_NOTE,
        )
    )
    return NOTE


async def on_note(update: Update, context: AchtervangContext) -> int:
    runtime, tr = context.runtime, context.tr
    message = message_of(update)
    pending = context.user_state.get(_PENDING)
    if pending is None:
        return ConversationHandler.END
    note = alert_closing.clean_note(message.text or "")
    if not alert_closing.note_fits(note):
        await message.reply_text(
            tr._(
                "That note is %(length)d characters; at most %(max)d fit. "
                "Please send a shorter one.",
                length=len(note),
                max=MAX_NOTE,
            )
        )
        return NOTE
    context.user_state.pop(_PENDING, None)
    alert_id, outcome = pending
    async with runtime.sessionmaker() as session:
        done = await alert_closing.resolve(
            session,
            runtime.config,
            alert_id,
            context.member,
            outcome=outcome,
            note=note,
            now=runtime.clock.now(),
        )
        await session.commit()
    if done.result is not Closed.RESOLVED:
        await message.reply_text(
            tr._("This alert is not yours to resolve, or it is resolved already.")
        )
        return ConversationHandler.END
    await message.reply_text(
        tr._(
            "Crisis alert %(code)s is resolved: %(outcome)s. Thank you.",
            code=present(done.alert, "the resolved alert").case_code,
            outcome=tr._(OUTCOMES[outcome]),
        )
    )
    await dispatch_due(context.bot, runtime)
    return ConversationHandler.END


async def cancel(update: Update, context: AchtervangContext) -> int:
    context.user_state.pop(_PENDING, None)
    await message_of(update).reply_text(context.tr._("Stopped. The alert is not resolved yet."))
    return ConversationHandler.END


async def nothing_to_cancel(update: Update, context: AchtervangContext) -> None:
    await message_of(update).reply_text(context.tr._("There is nothing to cancel."))


_TEXT = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
# Typed as returning any object, as the conversation's handler lists are.
_BUTTON: CallbackQueryHandler[AchtervangContext, object] = CallbackQueryHandler(
    on_button, pattern=f"^{_PREFIX}"
)

with warnings.catch_warnings():
    # Buttons are tracked per chat, not per message, on purpose: one resolve at a time.
    warnings.simplefilter("ignore", PTBUserWarning)
    _CONVERSATION = ConversationHandler(
        entry_points=[CommandHandler("resolve", start_resolve), _BUTTON],
        states={CHOOSING: [_BUTTON], NOTE: [MessageHandler(_TEXT, on_note), _BUTTON]},
        fallbacks=[CommandHandler("cancel", cancel)],
        allow_reentry=True,
        name="resolve",
    )

HANDLERS = [_CONVERSATION, CommandHandler("cancel", nothing_to_cancel)]
