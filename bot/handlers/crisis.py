"""/crisis CODE text: raise a crisis alert; the buttons under an alert take or decline it.
/crisis alone (or with only a code) asks for the code, then the text; /cancel stops.

The alert is stored before anything is sent, and the first step goes out from this handler
at once rather than at the next scheduler tick."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.alert_text import card, taken_line
from bot.crisis_receipt import receipt, unknown_code_question
from bot.handlers.context import AchtervangContext
from bot.handlers.edge import excerpt
from bot.handlers.replies import reply
from bot.models import Coach
from bot.scheduling import jobs
from bot.scheduling.alert_notices import card_facts
from bot.scheduling.dispatcher import dispatch_due, send_claimed
from bot.services import alert_closing, alerts, inbox, parsing
from bot.services.alerts import Answer, Outcome
from bot.services.code_suggestions import close_codes

log = logging.getLogger(__name__)
_PREFIX = "alert:"
ASK_CODE, ASK_TEXT = range(2)
_CODE_KEY = "crisis_code"


async def raise_crisis(update: Update, context: AchtervangContext) -> int:
    tr = context.tr
    args = context.args or []
    message = update.effective_message
    if not args:
        await message.reply_text(
            tr._(
                "Which family is it about? Send the case code, for example GZ-1042. "
                "Next time you can send it all at once: /crisis CODE what is going on. "
                "/cancel stops."
            )
        )
        return ASK_CODE
    code = args[0]
    if not alerts.valid_code(code):
        await message.reply_text(
            tr._(
                "'%(code)s' is not a case code (letters, digits and dashes, for example "
                "GZ-1042). Nothing was sent.",
                code=excerpt(code),
            )
        )
        return ConversationHandler.END
    if len(args) == 1:
        asked = tr._(
            "Use: /crisis CODE what is going on. Or send me now, in one short message, "
            "what is going on with %(code)s. /cancel stops.",
            code=code,
        )
        return await _ask_for_text(update, context, code, asked)
    await _raise(update, context, code, " ".join(args[1:]))
    return ConversationHandler.END


async def got_code(update: Update, context: AchtervangContext) -> int:
    tr = context.tr
    code = update.effective_message.text.strip()
    if not alerts.valid_code(code):
        await update.effective_message.reply_text(
            tr._(
                "'%(code)s' is not a case code: letters, digits and dashes, for example "
                "GZ-1042. Send the code again, or /cancel.",
                code=code[:40],
            )
        )
        return ASK_CODE
    asked = tr._(
        "What is going on with %(code)s? Send it in one short message. /cancel stops.",
        code=code,
    )
    return await _ask_for_text(update, context, code, asked)


async def _ask_for_text(
    update: Update, context: AchtervangContext, code: str, question: str
) -> int:
    """Asks for the crisis text; a code the bot does not know is said now, while a typo can
    still be put right so the alert reaches the family's own coach."""
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        known = await alerts.find_case(session, code) is not None
        suggestions = [] if known else await close_codes(session, context.coach, code)
    context.user_data[_CODE_KEY] = code
    text = question if known else unknown_code_question(context.tr, code, suggestions)
    await update.effective_message.reply_text(text)
    return ASK_TEXT


async def got_text(update: Update, context: AchtervangContext) -> int:
    code = context.user_data.pop(_CODE_KEY, None)
    if code is None:
        return await raise_crisis(update, context)
    await _raise(update, context, code, update.effective_message.text.strip())
    return ConversationHandler.END


async def cancel(update: Update, context: AchtervangContext) -> int:
    context.user_data.pop(_CODE_KEY, None)
    await update.effective_message.reply_text(context.tr._("Stopped. No crisis alert was sent."))
    return ConversationHandler.END


async def _raise(update: Update, context: AchtervangContext, code: str, text: str) -> None:
    runtime, tr = context.runtime, context.tr
    async with runtime.sessionmaker() as session:
        raised = await alerts.raise_and_claim(
            session,
            runtime.config,
            reporter=context.coach,
            code=code,
            text=text,
            now=runtime.clock.now(),
            # When the message with the crisis text was written, not when it reached us.
            written_at=update.effective_message.date,
        )
        # With the alert, so a restart cut short after this commit does not raise it again.
        await inbox.mark_handled(session, [update.update_id], runtime.clock.now())
        await session.commit()
        # The first step goes out before anything else, also ahead of the reporter's receipt.
        await send_claimed(context.bot, runtime, session, raised.claimed)
        alert = raised.alert
        unknown = alert.case_id is None
        suggestions = await close_codes(session, context.coach, code) if unknown else []
    _dispatch_in_background(context)
    await update.effective_message.reply_text(receipt(tr, alert, text, suggestions))


async def answer_alert(update: Update, context: AchtervangContext) -> None:
    query = update.callback_query
    runtime, tr, coach = context.runtime, context.tr, context.coach
    _, action, raw_id = [*query.data.split(":"), "", ""][:3]
    alert_id = parsing.row_id(raw_id)
    if action not in ("take", "decline") or alert_id is None:
        await query.answer()
        return
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        if action == "take":
            result = await alerts.take(session, alert_id, coach, now)
            if result.outcome is Outcome.TAKEN:
                await alert_closing.plan_reminder(session, runtime.config, result.alert)
        else:
            result = await alerts.decline(session, runtime.config, alert_id, coach, now)
        await session.commit()
    if result.outcome is Outcome.TAKEN:
        await query.answer(tr._("It's yours. The reporter is told you are on it."))
        await _mark_taken(context, result)
    elif result.outcome is Outcome.DECLINED:
        await query.answer(tr._("Understood: the alert goes to the next person now."))
        await query.edit_message_reply_markup(None)
    else:
        await reply(update, _refusal(context, result))
    # A decline's next step and the reporter's notice go out now, not at the next tick.
    await dispatch_due(context.bot, runtime)
    await jobs.wake_at_next_deadline(context.application)


def _dispatch_in_background(context: AchtervangContext) -> None:
    """Whatever else is due (a refused first send escalating at once, a retry) goes out, and
    the new alert's deadline is set to wake the scheduler, without holding up the reporter's
    next update: updates of one chat are handled one at a time (bot/chat_lanes.py)."""

    async def follow_up() -> None:
        await dispatch_due(context.bot, context.runtime)
        await jobs.wake_at_next_deadline(context.application)

    context.application.create_task(follow_up(), name="after-crisis")


def _refusal(context: AchtervangContext, result: Answer) -> str:
    tr = context.tr
    if result.outcome is Outcome.ALREADY_TAKEN and result.taken_by is not None:
        return tr._("%(name)s has already taken this alert.", name=result.taken_by.name)
    if result.outcome is Outcome.NOT_YOURS:
        return tr._("This alert was not sent to you.")
    return tr._("This alert is closed.")


async def _mark_taken(context: AchtervangContext, result: Answer) -> None:
    """Every alert message already shown now says who took it, without buttons."""
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        facts = await card_facts(session, result.alert, runtime.clock.now())
        coaches = {c.id: c for c in [await session.get(Coach, cid) for _, _, cid in result.shown]}
    for chat_id, message_id, coach_id in result.shown:
        tr = runtime.translator(coaches[coach_id].language)
        text = (
            card(tr, result.alert, facts)
            + "\n\n"
            + taken_line(tr, result.taken_by.name, result.alert)
        )
        try:
            await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
        except TelegramError as exc:
            log.warning("could not update alert message %s/%s: %s", chat_id, message_id, exc)


_TEXT = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE

HANDLERS = [
    ConversationHandler(
        entry_points=[CommandHandler("crisis", raise_crisis)],
        states={
            ASK_CODE: [MessageHandler(_TEXT, got_code)],
            ASK_TEXT: [MessageHandler(_TEXT, got_text)],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        allow_reentry=True,
        name="crisis",
        persistent=True,  # a half-finished /crisis survives a failover
    ),
    CallbackQueryHandler(answer_alert, pattern=f"^{_PREFIX}"),
]
