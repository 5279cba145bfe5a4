"""Every step-by-step conversation ends when left unanswered for the team's
`conversation_timeout`, and says that nothing was sent or changed.

Two mechanisms, because a timer alone is not enough: PTB's conversation_timeout (a JobQueue
timer) tells the user when the time is up; but a timer does not survive a restart and runs
on the wall clock, so each answer is also checked against the moment of the conversation's
last step, taken from when the message was written (Telegram's date). A stray text long
after `/crisis CODE` is then never taken as the crisis text, however late it is handled.

The conversations are rebuilt per Application (`with_timeouts`), so their state belongs to one
running bot and not to the module that defines them."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler, TypeHandler
from telegram.warnings import PTBUserWarning

from bot.handlers.context import AchtervangContext
from bot.i18n import N_

_LAST_STEP = "conversation_last_step"  # user_data: conversation name → moment of its last step
# What did not happen, per conversation; said when it times out.
NOTHING_DONE = {
    "crisis": N_("No crisis alert was sent."),
    "resolve": N_("The alert is not resolved yet."),
    "absent": N_("Nothing was reported."),
    "waitlist_add": N_("Nothing was put on the waitlist."),
}
_NOTHING_DEFAULT = N_("Nothing was sent or changed.")

Callback = Callable[[Update, AchtervangContext], Coroutine[Any, Any, Any]]


def with_timeouts(handlers: Iterable[BaseHandler], timeout: timedelta) -> list[BaseHandler]:
    """`handlers` with every ConversationHandler among them rebuilt to time out."""
    return [
        _timed(handler, timeout) if isinstance(handler, ConversationHandler) else handler
        for handler in handlers
    ]


def _moment(update: Update, context: AchtervangContext) -> datetime:
    """When the user did this: a message's date (written, not handled); a button press has
    none, so the bot's clock."""
    message = update.message
    if message is not None and message.date is not None:
        return message.date
    return context.runtime.clock.now()


def _steps(context: AchtervangContext) -> dict[str, str]:
    # ISO text, not datetime: user_data is persisted as JSON so that a conversation and its
    # clock both survive a failover (bot/operations/persistence.py).
    return context.user_state.setdefault(_LAST_STEP, {})


def _record(context: AchtervangContext, name: str, result: object, moment: datetime) -> None:
    # None keeps the conversation in its state: that is a step too.
    if result == ConversationHandler.END:
        _steps(context).pop(name, None)
    else:
        _steps(context)[name] = moment.isoformat()


def _started(callback: Callback, name: str) -> Callback:
    async def start(update: Update, context: AchtervangContext) -> object:
        moment = _moment(update, context)
        result = await callback(update, context)
        _record(context, name, result, moment)
        return result

    return start


def _answered(callback: Callback, name: str, timeout: timedelta) -> Callback:
    async def answer(update: Update, context: AchtervangContext) -> object:
        moment = _moment(update, context)
        last = _steps(context).get(name)
        if last is None or moment - datetime.fromisoformat(last) > timeout:
            # Stale: this is not an answer to a question asked that long ago.
            _steps(context).pop(name, None)
            if update.callback_query is not None:
                await update.callback_query.answer()
            await _tell(update, context, name, idle=timeout)
            return ConversationHandler.END
        result = await callback(update, context)
        _record(context, name, result, moment)
        return result

    return answer


async def _tell(update: Update, context: AchtervangContext, name: str, *, idle: timedelta) -> None:
    tr = context.tr
    minutes = max(1, round(idle.total_seconds() / 60))
    text = " ".join(
        [
            tr.n_(
                "/%(command)s has stopped: no answer for %(n)s minute.",
                "/%(command)s has stopped: no answer for %(n)s minutes.",
                minutes,
                command=name,
            ),
            tr._(NOTHING_DONE.get(name, _NOTHING_DEFAULT)),
            tr._("Start again with /%(command)s if you still need it.", command=name),
        ]
    )
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, text)


def _with_callback(handler: BaseHandler, callback: Callback) -> BaseHandler:
    clone = copy.copy(handler)
    clone.callback = callback
    return clone


def _timed(conversation: ConversationHandler, timeout: timedelta) -> ConversationHandler:
    name = conversation.name
    if name is None:
        raise ValueError("a conversation needs a name: its timeout message uses it")

    async def timed_out(update: Update, context: AchtervangContext) -> None:
        # PTB's timer: the conversation was idle for `timeout` by the wall clock.
        _steps(context).pop(name, None)
        await _tell(update, context, name, idle=timeout)

    states = {
        state: [_with_callback(h, _answered(h.callback, name, timeout)) for h in handlers]
        for state, handlers in conversation.states.items()
    }
    states[ConversationHandler.TIMEOUT] = [TypeHandler(Update, timed_out)]
    with warnings.catch_warnings():
        # Buttons are tracked per chat, as the conversation was defined.
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                _with_callback(h, _started(h.callback, name)) for h in conversation.entry_points
            ],
            states=states,
            fallbacks=list(conversation.fallbacks),
            allow_reentry=conversation.allow_reentry,
            per_chat=conversation.per_chat,
            per_user=conversation.per_user,
            per_message=conversation.per_message,
            conversation_timeout=timeout,
            name=name,
            persistent=conversation.persistent,
            map_to_parent=conversation.map_to_parent,
            block=conversation._block,  # what it was built with (.block is always True)
        )
