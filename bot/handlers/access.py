"""The gate every update passes first: who is this, and may they do this here?

Strangers learn nothing but that the bot is not for them (once in a while, so a flood costs
nothing); groups other than the team's own are left; commands that could show case data never
answer in a group chat. The gate fails closed: whatever goes wrong while deciding (the database
gone, input nobody foresaw) ends the update there, so no feature handler ever runs on an
undecided update.
"""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.handlers import registry
from bot.handlers.context import AchtervangContext
from bot.handlers.edge import unusable_text
from bot.handlers.replies import reply as _reply
from bot.handlers.required import chat_of, message_of, user_of
from bot.services.audit import refusals
from bot.services.audit import trail as audit
from bot.services.team.coaches import find_enrolled
from bot.services.team.enrolment import cancel_seen_invites, invite_candidates
from bot.transport.handling import admitted

log = logging.getLogger(__name__)


def command_of(update: Update, bot_username: str) -> str | None:
    """The command an update carries, or None; '/cmd@otherbot' is not ours."""
    message = update.effective_message
    if message is None or update.callback_query is not None or not message.text:
        return None
    words = message.text.split(maxsplit=1)
    if not words or not words[0].startswith("/"):
        return None
    name, _, target = words[0][1:].partition("@")
    if target and target.lower() != (bot_username or "").lower():
        return None
    return name.lower()


async def gate(update: Update, context: AchtervangContext) -> None:
    """The one place access is decided. Any error in deciding is a refusal, never a pass."""
    try:
        await _decide(update, context)
    except ApplicationHandlerStop:
        raise
    except Exception as error:
        await _refuse_after_error(update, context, error)
        raise ApplicationHandlerStop from None


async def _refuse_after_error(update: Update, context: AchtervangContext, error: Exception) -> None:
    # The exception text may hold input or SQL parameters: its type only, above DEBUG.
    log.error(
        "access check failed (%s); update %s dropped unhandled",
        type(error).__name__,
        update.update_id,
    )
    log.debug("access check failure", exc_info=error)
    if context.coach is None:
        return  # a stranger, or we could not tell: silence tells nothing
    try:
        await reply(
            update,
            context.tr._("I could not check your access just now; nothing was done. Try again."),
        )
    except Exception as failed:
        log.warning("could not tell a member their update was dropped (%s)", type(failed).__name__)


async def reply(update: Update, text: str) -> None:
    """A refusal that cannot be delivered (the person blocked the bot, the chat is gone) is
    not a failure to decide: the update still ends here."""
    try:
        await _reply(update, text)
    except TelegramError as failed:
        log.info("could not deliver a refusal (%s)", type(failed).__name__)


async def _decide(update: Update, context: AchtervangContext) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or user.is_bot or chat is None or chat.type == Chat.CHANNEL:
        raise ApplicationHandlerStop
    runtime = context.runtime
    private = chat.type == Chat.PRIVATE
    if not private and chat.id != runtime.config.team_chat_id:
        if await admitted():
            await _leave_foreign_group(update, context)
        raise ApplicationHandlerStop

    async with runtime.sessionmaker() as session:
        coach = await find_enrolled(session, user.id)
    # This look-up overlapped the inbox storing the update; nothing is done before it is stored.
    if not await admitted():
        raise ApplicationHandlerStop
    context.coach = coach
    context.tr = runtime.translator(coach.language if coach else user.language_code)
    tr = context.tr

    if update.effective_message is not None and update.callback_query is None and not private:
        await _cancel_invite_seen_in_group(update, context)
    command = command_of(update, context.bot.username)
    if command is None and not private and update.callback_query is None:
        # Group chatter that is not addressed to us.
        raise ApplicationHandlerStop

    if coach is None:
        if command == "start" and private:
            return
        await _refuse_stranger(update, context, command)
        raise ApplicationHandlerStop

    if unusable_text(update):
        if private:
            await reply(update, tr._("I didn't understand that. /help lists what you can do."))
        raise ApplicationHandlerStop
    if command is None:
        return
    spec = registry.lookup(command)
    if spec is None:
        if private:
            await reply(update, tr._("I don't know that command. /help lists what you can do."))
        raise ApplicationHandlerStop
    if coach.role not in spec.roles:
        await _audit_refusal(context, command, "role")
        await reply(update, tr._("That command is not available for your role."))
        raise ApplicationHandlerStop
    if not private and not spec.in_groups:
        await _audit_refusal(context, command, "group_chat")
        await reply(
            update,
            tr._(
                "That command only works in a private chat with me, so that no case details "
                "end up in a group."
            ),
        )
        raise ApplicationHandlerStop


async def _refuse_stranger(update: Update, context: AchtervangContext, command: str | None) -> None:
    """On record and answered once per window; within it a stranger's flood writes nothing and
    gets nothing (the answer and the row are the same decision)."""
    runtime = context.runtime
    kind = "button" if update.callback_query is not None else command or "message"
    async with runtime.sessionmaker() as session:
        first = await refusals.note_stranger(session, user_of(update).id, kind, runtime.clock.now())
        await session.commit()
    if update.callback_query is not None:
        # A press must be answered or the client spins; the answer is the same refusal.
        await reply(update, _stranger_text(context))
        return
    if first and chat_of(update).type == Chat.PRIVATE:
        await reply(update, _stranger_text(context))


def _stranger_text(context: AchtervangContext) -> str:
    return context.tr._(
        "This bot is only for members of the family coaching team. "
        "If you have an invite code, send /start followed by the code in a private chat."
    )


async def _leave_foreign_group(update: Update, context: AchtervangContext) -> None:
    """A group that is not the team's: nothing is said there and the bot leaves it."""
    runtime = context.runtime
    chat_id = chat_of(update).id
    async with runtime.sessionmaker() as session:
        first = await refusals.note_foreign_chat(session, chat_id, runtime.clock.now())
        await session.commit()
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        if first:
            await context.bot.leave_chat(chat_id)
    except TelegramError as failed:
        log.info("could not leave a foreign group (%s)", type(failed).__name__)


async def _cancel_invite_seen_in_group(update: Update, context: AchtervangContext) -> None:
    """An invite code posted in a group is no longer secret: it stops working at once. Its owner
    is not enrolled yet (a used code cannot leak), so the group hears it, without a name."""
    text = message_of(update).text or message_of(update).caption or ""
    candidates = invite_candidates(text)
    if not candidates:
        return
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        cancelled = await cancel_seen_invites(session, candidates, runtime.clock.now())
        await session.commit()
    if cancelled:
        await reply(
            update,
            context.tr._(
                "That invite code was posted in a group chat, so it no longer works. "
                "Ask your team lead for a new one, and send it only in a private chat with me."
            ),
        )


async def refused_press(context: AchtervangContext, button: str, reason: str) -> None:
    """A member's button press refused at press time (buttons skip the command check): on
    record as attempts are, by the button's kind, not its data."""
    await _audit_refusal(context, button, reason, action="button.refused")


async def _audit_refusal(
    context: AchtervangContext, command: str, reason: str, action: str = "command.refused"
) -> None:
    """A member asking for what their role or this chat does not allow is on record: the
    privacy officer wants to see attempts, not only what was shown."""
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        audit.record(
            session,
            at=runtime.clock.now(),
            action=action,
            outcome=reason,
            actor=context.coach,
            subject=command,
        )
        await session.commit()
