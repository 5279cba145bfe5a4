"""/waitlist [CODE]: the ranked list or one family's place; the acceptance-decision buttons a
team lead gets under a new referral; /intake CODE coach moves a family into a caseload."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.handlers.access import refused_press
from bot.handlers.context import AchtervangContext
from bot.handlers.registry import LEADS
from bot.handlers.replies import drop_buttons, reply
from bot.handlers.required import data_of, message_of, query_of
from bot.i18n import Translator
from bot.models.waitlist import WaitlistEntry
from bot.services import parsing
from bot.services.waitlist import store as waitlist
from bot.services.waitlist.store import Refused
from bot.texts.waitlist import (
    DECIDE,
    decision_buttons,
    list_text,
    position_text,
    referral_line,
    refusal_text,
)

# Referrals shown with their decision buttons under /waitlist; more is a sign of a backlog the
# morning digest already reports.
MAX_DECISIONS = 10


def decision_markup(tr: Translator, entry: WaitlistEntry) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in decision_buttons(tr, entry)
        ]
    )


async def show_waitlist(update: Update, context: AchtervangContext) -> None:
    runtime, tr = context.runtime, context.tr
    now = runtime.clock.now()
    today = runtime.config.local_date(now)
    lead = context.member.role in LEADS
    args = context.args or []
    undecided: list[WaitlistEntry] = []
    async with runtime.sessionmaker() as session:
        placed = await waitlist.ranked_list(session, runtime.config, now)
        if args:
            wanted = args[0].upper()
            found = next((p for p in placed if p.entry.code == wanted), None)
            if found is None:
                text = refusal_text(tr, Refused(waitlist.Problem.NOT_ON_LIST, wanted))
            else:
                start = await waitlist.expected(session, runtime.config, found, now)
                text = position_text(tr, found, len(placed), today, start, lead=lead)
        else:
            undecided = await waitlist.undecided(session) if lead else []
            text = list_text(
                tr,
                placed,
                undecided,
                today,
                lead=lead,
                norm_weeks=runtime.config.waitlist.norm_weeks,
            )
    await message_of(update).reply_text(text)
    # Each referral awaiting a decision comes with its buttons, so the lead decides from here.
    for entry in undecided[:MAX_DECISIONS]:
        await message_of(update).reply_text(
            referral_line(tr, entry), reply_markup=decision_markup(tr, entry)
        )


async def on_decision(update: Update, context: AchtervangContext) -> None:
    query, runtime, tr = query_of(update), context.runtime, context.tr
    if context.member.role not in LEADS:
        await refused_press(context, "waitlist", "role")
        await reply(update, tr._("Only a team lead decides on referrals."))
        return
    _, answer, raw_id = [*data_of(query).split(":"), "", ""][:3]
    entry_id = parsing.row_id(raw_id)
    if answer not in ("yes", "no") or entry_id is None:
        await query.answer()
        return
    async with runtime.sessionmaker() as session:
        result = await waitlist.decide(
            session, entry_id, answer == "yes", actor=context.member, now=runtime.clock.now()
        )
        await session.commit()
    if isinstance(result, Refused):
        await reply(update, tr._("This referral was already decided."))
        await drop_buttons(query)
        return
    await query.answer()
    done = (
        tr._("%(code)s is on the waitlist.", code=result.code)
        if answer == "yes"
        else tr._("%(code)s was not accepted onto the waitlist.", code=result.code)
    )
    await query.edit_message_text(f"{message_of(update).text}\n\n{done}")


async def intake(update: Update, context: AchtervangContext) -> None:
    runtime, tr = context.runtime, context.tr
    args = context.args or []
    if len(args) < 2:
        await message_of(update).reply_text(
            tr._("Use: /intake CODE coach, for example /intake ALM-0417 Anna de Vries.")
        )
        return
    async with runtime.sessionmaker() as session:
        result = await waitlist.intake(
            session,
            runtime.config,
            args[0],
            " ".join(args[1:]),
            actor=context.member,
            now=runtime.clock.now(),
        )
        if isinstance(result, Refused):
            await message_of(update).reply_text(refusal_text(tr, result))
            return
        await session.commit()
    await message_of(update).reply_text(
        tr._(
            "%(code)s is now a family of %(name)s, in phase intake; it left the waitlist.",
            code=result.entry.code,
            name=result.coach.name,
        )
    )


HANDLERS = [
    CommandHandler("waitlist", show_waitlist),
    CommandHandler("intake", intake),
    CallbackQueryHandler(on_decision, pattern=f"^{DECIDE}"),
]
