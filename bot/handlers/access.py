"""The gate every update passes first: who is this, and may they do this here?

Strangers learn nothing but that the bot is not for them; commands that could show case
data never answer in a group chat.
"""

from __future__ import annotations

from telegram import Chat, Update
from telegram.ext import ApplicationHandlerStop

from bot.handlers import registry
from bot.handlers.context import AchtervangContext
from bot.handlers.replies import reply
from bot.services import audit
from bot.services.coaches import find_enrolled


def command_of(update: Update, bot_username: str) -> str | None:
    """The command an update carries, or None; '/cmd@otherbot' is not ours."""
    message = update.effective_message
    if message is None or update.callback_query is not None or not message.text:
        return None
    first = message.text.split(maxsplit=1)[0]
    if not first.startswith("/"):
        return None
    name, _, target = first[1:].partition("@")
    if target and target.lower() != bot_username.lower():
        return None
    return name.lower()


async def gate(update: Update, context: AchtervangContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        coach = await find_enrolled(session, user.id)
    context.coach = coach
    context.tr = runtime.translator(coach.language if coach else user.language_code)
    tr = context.tr

    chat = update.effective_chat
    private = chat is not None and chat.type == Chat.PRIVATE
    command = command_of(update, context.bot.username)
    if command is None and not private and update.callback_query is None:
        # Group chatter that is not addressed to us.
        raise ApplicationHandlerStop

    if coach is None:
        if command == "start" and private:
            return
        await reply(
            update,
            tr._(
                "This bot is only for members of the family coaching team. "
                "If you have an invite code, send /start followed by the code in a private chat."
            ),
        )
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


async def _audit_refusal(context: AchtervangContext, command: str, reason: str) -> None:
    """A member asking for what their role or this chat does not allow is on record: the
    privacy officer wants to see attempts, not only what was shown."""
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        audit.record(
            session,
            at=runtime.clock.now(),
            action="command.refused",
            outcome=reason,
            actor=context.coach,
            subject=command,
        )
        await session.commit()
