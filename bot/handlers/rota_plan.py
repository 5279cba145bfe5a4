"""/rota plan <day> [<weeks>w]: a team lead has a roster proposed for a period, reads the
summary and approves it with a button (or discards it). The decisions are in
bot/services/rosters/plans.py and proposal.py."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.replies import drop_buttons, reply
from bot.handlers.required import data_of, message_of, query_of
from bot.scheduling.jobs import kick
from bot.services import parsing
from bot.services.rosters import plans
from bot.texts.rota_plan import proposal_text
from bot.texts.split import split_message

_PREFIX = "rotaplan:"


async def propose(update: Update, context: AchtervangContext, args: list[str]) -> None:
    runtime, tr = context.runtime, context.tr
    now = runtime.clock.now()
    request = plans.parse_request(args, now.astimezone(runtime.config.tz).date())
    if request is None:
        await message_of(update).reply_text(
            tr._(
                "Use: /rota plan <first day> [<weeks>w], for example /rota plan 2027-01-04 13w "
                "(from today on, at most %(weeks)s weeks).",
                weeks=plans.MAX_WEEKS,
            )
        )
        return
    async with runtime.sessionmaker() as session:
        proposed = await plans.propose(session, runtime.config, context.member, request, now)
        await session.commit()
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr._("Approve"), callback_data=f"{_PREFIX}ok:{proposed.plan_id}"
                ),
                InlineKeyboardButton(
                    tr._("Discard"), callback_data=f"{_PREFIX}no:{proposed.plan_id}"
                ),
            ]
        ]
    )
    pieces = split_message(proposal_text(tr, proposed))
    for piece in pieces[:-1]:
        await message_of(update).reply_text(piece)
    await message_of(update).reply_text(pieces[-1], reply_markup=keyboard)


async def decide(update: Update, context: AchtervangContext) -> None:
    runtime, tr, query = context.runtime, context.tr, query_of(update)
    answer, _, argument = data_of(query).removeprefix(_PREFIX).partition(":")
    plan_id = parsing.row_id(argument)
    if answer not in ("ok", "no") or plan_id is None:
        await reply(update, tr._("This button no longer works."))
        return
    async with runtime.sessionmaker() as session:
        outcome = await plans.decide(
            session, runtime.config, context.member, plan_id, answer == "ok", runtime.clock.now()
        )
        await session.commit()
    if outcome is plans.Outcome.GONE:
        await reply(update, tr._("This button no longer works."))
        return
    if outcome is plans.Outcome.STARTED:
        await reply(
            update,
            tr._(
                "This proposal's first day has passed; approving it would change shifts "
                "already held. Ask for a new one with /rota plan."
            ),
        )
        return
    await query.answer()
    await drop_buttons(query)
    if outcome is plans.Outcome.APPROVED:
        await message_of(update).reply_text(
            tr._("Approved: this plan is the roster now. /roster shows it.")
        )
        kick(context.application)
    else:
        await message_of(update).reply_text(tr._("Discarded; the roster stays as it was."))


HANDLERS = [CallbackQueryHandler(decide, pattern=f"^{_PREFIX}(ok|no):")]
