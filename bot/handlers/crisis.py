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

from bot.handlers.context import AchtervangContext
from bot.handlers.replies import reply
from bot.handlers.required import data_of, message_of, present, query_of, text_of
from bot.scheduling import jobs
from bot.scheduling.dispatcher import dispatch_due, send_claimed
from bot.services import parsing
from bot.services.alerts import closing as alert_closing
from bot.services.alerts import intake as alert_intake
from bot.services.alerts import lifecycle as alerts
from bot.services.alerts.codes import find_case, valid_code
from bot.services.alerts.intake import Sent, Taken
from bot.services.alerts.lifecycle import Answer, Outcome
from bot.services.cases.example import example_code
from bot.services.cases.suggestions import close_codes
from bot.texts.crisis_receipt import unknown_code_question
from bot.texts.split import excerpt

log = logging.getLogger(__name__)
_PREFIX = "alert:"
ASK_CODE, ASK_TEXT = range(2)
_CODE_KEY = "crisis_code"


async def _example(context: AchtervangContext) -> str:
    async with context.runtime.sessionmaker() as session:
        return await example_code(session, context.runtime.config)


async def raise_crisis(update: Update, context: AchtervangContext) -> int:
    tr = context.tr
    args = context.args or []
    message = message_of(update)
    if not args:
        await message.reply_text(
            tr._(
                "Which family is it about? Send the case code, for example %(example)s. "
                "Next time you can send it all at once: /crisis CODE what is going on. "
                "/cancel stops.",
                example=await _example(context),
            )
        )
        return ASK_CODE
    code = args[0]
    if not valid_code(code):
        await message.reply_text(
            tr._(
                "'%(code)s' is not a case code (letters, digits and dashes, for example "
                "%(example)s). Nothing was sent.",
                code=excerpt(code),
                example=await _example(context),
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
    code = text_of(message_of(update)).strip()
    if not valid_code(code):
        await message_of(update).reply_text(
            tr._(
                "'%(code)s' is not a case code: letters, digits and dashes, for example "
                "%(example)s. Send the code again, or /cancel.",
                code=excerpt(code),
                example=await _example(context),
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
        known = await find_case(session, code) is not None
        suggestions = [] if known else await close_codes(session, context.member, code)
    context.user_state[_CODE_KEY] = code
    text = question if known else unknown_code_question(context.tr, code, suggestions)
    await message_of(update).reply_text(text)
    return ASK_TEXT


async def got_text(update: Update, context: AchtervangContext) -> int:
    code = context.user_state.pop(_CODE_KEY, None)
    if code is None:
        return await raise_crisis(update, context)
    await _raise(update, context, code, text_of(message_of(update)).strip())
    return ConversationHandler.END


async def cancel(update: Update, context: AchtervangContext) -> int:
    context.user_state.pop(_CODE_KEY, None)
    await message_of(update).reply_text(context.tr._("Stopped. No crisis alert was sent."))
    return ConversationHandler.END


async def _raise(update: Update, context: AchtervangContext, code: str, text: str) -> None:
    runtime, tr = context.runtime, context.tr
    message = message_of(update)
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        intake = await alert_intake.take_in(
            session,
            runtime.config,
            reporter=context.member,
            code=code,
            text=text,
            now=now,
            # When the message with the crisis text was written, not when it reached us.
            written_at=message.date,
            # The receipt goes through the outbox: once the alert is stored, a failed receipt
            # is retried, never turned into "something went wrong, try again" (which invites
            # a second alert).
            sent=Sent(f"{message.chat_id}:{message.message_id}", len(text)),
        )
        # This commit, which stores the alert or audits the refusal, also marks this update
        # handled (bot/transport/handling.py): a restart does not take it in again, nor
        # decide again what the reporter was told.
        await session.commit()
        if intake.result is not Taken.REFUSED:
            # The first step goes out before anything else, also ahead of the receipt.
            await send_claimed(context.bot, runtime, session, [*intake.claimed, *intake.receipts])
    if intake.result is Taken.REFUSED:
        await message.reply_text(
            tr._(
                "You have raised %(count)s crisis alerts in the last minute, as many as I take "
                "from one person. Nothing was sent for %(code)s. If it is urgent, phone the "
                "coach on duty or the team lead; in a minute you can send it again.",
                count=runtime.config.alerts.max_new_per_minute,
                code=excerpt(code.upper()),
            )
        )
        return
    _dispatch_in_background(context)


async def answer_alert(update: Update, context: AchtervangContext) -> None:
    query = query_of(update)
    runtime, tr, coach = context.runtime, context.tr, context.member
    _, action, raw_id = [*data_of(query).split(":"), "", ""][:3]
    alert_id = parsing.row_id(raw_id)
    if action not in ("take", "decline") or alert_id is None:
        await query.answer()
        return
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        if action == "take":
            result = await alerts.take(session, alert_id, coach, now)
            if result.outcome is Outcome.TAKEN:
                taken = present(result.alert, "the alert taken")
                await alert_closing.plan_reminder(session, runtime.config, taken)
        else:
            result = await alerts.decline(session, runtime.config, alert_id, coach, now)
        await session.commit()
    # Every alert message (the taker's own too) is brought up to date through the outbox,
    # with retries; the short answer to the button is all that is sent from here, and its
    # failing holds nothing else up.
    if result.outcome is Outcome.TAKEN:
        answer = tr._("It's yours. The reporter is told you are on it.")
    elif result.outcome is Outcome.DECLINED:
        answer = tr._("Understood: the alert goes to the next person now.")
    else:
        answer = _refusal(context, result)
    try:
        if result.outcome in (Outcome.TAKEN, Outcome.DECLINED):
            await query.answer(answer)
        else:
            await reply(update, answer)
    except TelegramError as exc:
        log.warning("could not answer an alert button: %s", exc)
    # The edits, a decline's next step and the reporter's notice go out now, not at a tick.
    await dispatch_due(context.bot, runtime)
    await jobs.wake_at_next_deadline(context.application)


def _dispatch_in_background(context: AchtervangContext) -> None:
    """Whatever else is due (a refused first send escalating at once, a retry) goes out, and
    the new alert's deadline is set to wake the scheduler, without holding up the reporter's
    next update: updates of one chat are handled one at a time (bot/transport/chat_lanes.py)."""

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
