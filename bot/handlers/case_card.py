"""/case CODE: a family's card, as much of it as the asker may see. Several matching codes
give one button each; a pressed button checks the presser's access again, because it may be
pressed long after it was sent."""

from __future__ import annotations

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.handlers.access import refused_press
from bot.handlers.context import AchtervangContext
from bot.handlers.registry import TEAM
from bot.handlers.replies import reply
from bot.handlers.required import data_of, message_of, query_of
from bot.i18n import Translator
from bot.services import parsing
from bot.services.cases import views as case_views
from bot.services.cases.example import example_code
from bot.services.cases.views import Shown
from bot.texts.cases import card_text

_PREFIX = "case:"


async def show_case(update: Update, context: AchtervangContext) -> None:
    tr = context.tr
    if not context.args:
        async with context.runtime.sessionmaker() as session:
            example = await example_code(session, context.runtime.config)
        await message_of(update).reply_text(
            tr._(
                "Which family? Send /case with the case code, for example /case %(example)s. "
                "The first part of a code is enough.",
                example=example,
            )
        )
        return
    query = " ".join(context.args)
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        shown = await case_views.look_up(
            session, runtime.config, context.member, query, runtime.clock.now()
        )
        await session.commit()
    if shown.ambiguous is not None:
        matches = shown.ambiguous.matches
        text = tr._("Several families match '%(query)s'. Which one?", query=query[:40])
        if shown.ambiguous.more:
            text += "\n" + tr._(
                "Only the first %(n)d are shown; type more of the code.", n=len(matches)
            )
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(code, callback_data=f"{_PREFIX}{cid}")] for code, cid in matches]
        )
        await message_of(update).reply_text(text, reply_markup=keyboard)
        return
    await message_of(update).reply_text(_answer(tr, shown, query))


async def case_pressed(update: Update, context: AchtervangContext) -> None:
    query = query_of(update)
    tr, coach = context.tr, context.member
    raw_id = data_of(query).removeprefix(_PREFIX)
    private = update.effective_chat is not None and update.effective_chat.type == Chat.PRIVATE
    # The gate checks commands, not buttons: a case card never goes to a group, nor to a
    # role that has no case look-up.
    case_id = parsing.row_id(raw_id)
    if not private or coach.role not in TEAM or case_id is None:
        reason = "group_chat" if not private else "role" if coach.role not in TEAM else "data"
        await refused_press(context, "case", reason)
        await reply(update, tr._("That command is not available for your role."))
        return
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        shown = await case_views.show_by_id(
            session, runtime.config, coach, case_id, runtime.clock.now()
        )
        await session.commit()
    if shown.card is None:
        await reply(update, _answer(tr, shown, ""))
        return
    await query.answer()
    await message_of(update).reply_text(card_text(tr, shown.card))


def _answer(tr: Translator, shown: Shown, query: str) -> str:
    if shown.card is not None:
        return card_text(tr, shown.card)
    if shown.refused:
        return tr._("You cannot see this family.")
    if query:
        return tr._("No family with a code like '%(query)s'.", query=query[:40])
    return tr._("This family is no longer in the bot.")


HANDLERS = [
    CommandHandler("case", show_case),
    CallbackQueryHandler(case_pressed, pattern=f"^{_PREFIX}"),
]
