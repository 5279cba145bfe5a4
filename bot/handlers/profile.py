"""/profile: a member's own phone number and e-mail address, which colleagues see where they
must call them (alert cards, /now, a family's card), and their workdays (profile_workdays).
Private chats only (see registry)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers import profile_workdays
from bot.handlers.context import AchtervangContext
from bot.handlers.required import message_of, present
from bot.i18n import Translator
from bot.models import Coach
from bot.services.team.profile import CLEAR, Field, Refused, set_contact

_FIELDS = {"phone": Field.PHONE, "telefoon": Field.PHONE, "email": Field.EMAIL, "mail": Field.EMAIL}


def profile_text(tr: Translator, coach: Coach) -> str:
    missing = tr._("not set")
    return "\n".join(
        [
            tr._("👤 %(name)s", name=coach.name),
            tr._("Phone: %(phone)s", phone=coach.phone or missing),
            tr._("E-mail: %(email)s", email=coach.email or missing),
            profile_workdays.workdays_line(tr, coach),
            "",
            tr._(
                "Colleagues see these where they need to call you: on a crisis alert, in /now "
                "and on a family's card."
            ),
            tr._(
                "Change them with /profile phone 06 12345678 or /profile email name@example.nl; "
                "remove one with /profile phone %(clear)s.",
                clear=CLEAR,
            ),
        ]
    )


async def show_or_set(update: Update, context: AchtervangContext) -> None:
    runtime, tr = context.runtime, context.tr
    message = message_of(update)
    args = context.args or []
    if args and args[0].lower() in profile_workdays.WORDS:
        await profile_workdays.profile_workdays(update, context, args)
        return
    field = _FIELDS.get(args[0].lower()) if args else None
    if args and (field is None or len(args) < 2):
        await message.reply_text(
            tr._("Write /profile phone 06 12345678 or /profile email name@example.nl.")
        )
        return
    async with runtime.sessionmaker() as session:
        if field is not None:
            try:
                await set_contact(
                    session, context.member.id, field, " ".join(args[1:]), runtime.clock.now()
                )
            except Refused:
                await message.reply_text(_refusal(tr, field))
                return
            await session.commit()
        coach = present(await session.get(Coach, context.member.id), "the coach")
        text = profile_text(tr, coach)
    if field is not None:
        text = tr._("Saved.") + "\n\n" + text
    await message.reply_text(text)


def _refusal(tr: Translator, field: Field) -> str:
    if field is Field.PHONE:
        return tr._("That is not a phone number. Write it as 06 12345678 or +31 6 12345678.")
    return tr._("That is not an e-mail address. Write it as name@example.nl.")


HANDLERS = [CommandHandler("profile", show_or_set)]
