"""/start CODE: enrolment by invite code (also what a t.me/<bot>?start=CODE link sends)."""

from __future__ import annotations

from telegram import Chat, Update
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.help_command import help_text
from bot.handlers.menu import register_member_menu
from bot.handlers.replies import role_label
from bot.handlers.required import chat_of, message_of, present, user_of
from bot.i18n import supported
from bot.services.team.enrolment import Outcome, redeem


async def start(update: Update, context: AchtervangContext) -> None:
    tr = context.tr
    message = message_of(update)
    if chat_of(update).type != Chat.PRIVATE:
        await message.reply_text(tr._("Please start me in a private chat."))
        return
    coach = context.coach
    if not context.args:
        if coach is None:
            await message.reply_text(
                tr._(
                    "Welcome to Achtervang. To use me you need an invite code from your team lead: "
                    "send /start followed by the code."
                )
            )
        else:
            await message.reply_text(
                tr._("You are enrolled as %(name)s.", name=coach.name)
                + "\n\n"
                + help_text(tr, coach.role)
            )
        return

    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        result = await redeem(
            session,
            telegram_user_id=user_of(update).id,
            raw_code="".join(context.args),
            now=runtime.clock.now(),
            rules=runtime.config.enrolment,
            language=supported(user_of(update).language_code) if coach is None else None,
        )
        await session.commit()

    if result.outcome is Outcome.ENROLLED:
        enrolled = present(result.coach, "the enrolled coach")
        tr = runtime.translator(enrolled.language)
        await message.reply_text(
            tr._(
                "Welcome, %(name)s! Your account is linked; you use Achtervang as %(role)s.",
                name=enrolled.name,
                role=role_label(tr, enrolled.role),
            )
            + "\n\n"
            + help_text(tr, enrolled.role)
        )
        await register_member_menu(context.bot, runtime, enrolled)
    elif result.outcome is Outcome.ALREADY_LINKED:
        await message.reply_text(
            tr._(
                "This Telegram account is already linked to %(name)s.",
                name=present(result.coach, "the linked coach").name,
            )
        )
    elif result.outcome is Outcome.EXPIRED:
        await message.reply_text(
            tr._("This invite code has expired. Ask your team lead for a new one.")
        )
    elif result.outcome is Outcome.LOCKED:
        await message.reply_text(
            tr._(
                "Too many wrong codes. You can try again after %(time)s.",
                time=tr.time(present(result.locked_until, "the lock's end")),
            )
        )
    else:
        await message.reply_text(
            tr._("That invite code is not valid. Check it, or ask your team lead for a new one.")
        )


HANDLERS = [CommandHandler("start", start)]
