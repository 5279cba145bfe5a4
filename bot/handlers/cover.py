"""The buttons of backup rounds: accept or decline a backup request, and a team lead
assigning an uncovered family by hand (pick the family, then the coach)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.replies import drop_buttons, reply
from bot.handlers.required import data_of, message_of, present, query_of
from bot.models import AbsenceRecord, Case, Coach
from bot.scheduling.dispatcher import dispatch_due
from bot.services import parsing
from bot.services.absence import backup_round, hand_assign
from bot.services.absence.backup_round import Answered
from bot.services.absence.hand_assign import Assigned
from bot.services.absence.reporting import LEAD_ROLES

_PREFIX = "cover:"


def _ints(parts: list[str], n: int) -> list[int] | None:
    return parsing.row_ids(parts[2:], n)


async def on_button(update: Update, context: AchtervangContext) -> None:
    query = query_of(update)
    parts = data_of(query).split(":")
    action = parts[1] if len(parts) > 1 else ""
    if action in ("accept", "decline") and (ids := _ints(parts, 1)):
        await _answer(update, context, ids[0], accept=action == "accept")
    elif action == "pick" and (ids := _ints(parts, 2)):
        await _pick(update, context, *ids)
    elif action == "give" and (ids := _ints(parts, 3)):
        await _give(update, context, *ids)
    else:
        await query.answer()


async def _answer(update: Update, context: AchtervangContext, cover_id: int, accept: bool) -> None:
    runtime, tr, query = context.runtime, context.tr, query_of(update)
    async with runtime.sessionmaker() as session:
        result = await backup_round.answer(
            session,
            runtime.config,
            cover_id,
            context.member,
            accept=accept,
            now=runtime.clock.now(),
        )
        await session.commit()
        absence = (
            await session.get(AbsenceRecord, result.cover.absence_id) if result.cover else None
        )
        own = await session.get(Coach, absence.coach_id) if absence else None
    if result.outcome in (Answered.NOT_YOURS, Answered.UNKNOWN, Answered.CLOSED):
        await reply(update, tr._("This request is no longer open."))
        await drop_buttons(query)
        return
    await query.answer()
    await drop_buttons(query)
    code = result.case.code if result.case else "?"
    if result.outcome is Answered.ACCEPTED:
        text = tr._(
            "Thank you: you cover %(code)s until %(name)s is back. Crisis alerts for this "
            "family come to you in office hours, and /case %(code)s shows its card.",
            code=code,
            name=own.name if own else "?",
        )
    else:
        text = tr._("Understood: I am asking someone else to cover %(code)s.", code=code)
    await message_of(update).reply_text(text)
    # A decline's next request goes out now, not at the next tick.
    await dispatch_due(context.bot, runtime)


async def _pick(update: Update, context: AchtervangContext, absence_id: int, case_id: int) -> None:
    runtime, tr, query = context.runtime, context.tr, query_of(update)
    if context.member.role not in LEAD_ROLES:
        await reply(update, tr._("Only a team lead can assign a back-up by hand."))
        return
    async with runtime.sessionmaker() as session:
        case = await session.get(Case, case_id)
        options = await hand_assign.rooms(session, runtime.config, runtime.clock.now())
    await query.answer()
    if case is None or not options:
        await message_of(update).reply_text(tr._("Nobody present has room for another family."))
        return
    buttons = [
        [
            InlineKeyboardButton(
                tr._("%(name)s (room for %(n)d)", name=coach.name, n=room),
                callback_data=f"{_PREFIX}give:{absence_id}:{case_id}:{coach.id}",
            )
        ]
        for coach, room in options
    ]
    await message_of(update).reply_text(
        tr._("Who covers %(code)s?", code=case.code), reply_markup=InlineKeyboardMarkup(buttons)
    )


async def _give(
    update: Update, context: AchtervangContext, absence_id: int, case_id: int, coach_id: int
) -> None:
    runtime, tr, query = context.runtime, context.tr, query_of(update)
    async with runtime.sessionmaker() as session:
        outcome, case, coach = await hand_assign.assign_by_hand(
            session,
            runtime.config,
            lead=context.member,
            absence_id=absence_id,
            case_id=case_id,
            coach_id=coach_id,
            now=runtime.clock.now(),
        )
        await session.commit()
    if outcome is Assigned.NOT_LEAD:
        await reply(update, tr._("Only a team lead can assign a back-up by hand."))
        return
    if outcome is Assigned.NO_ROOM:
        await reply(update, tr._("Nobody present has room for another family."))
        return
    if outcome is Assigned.GONE:
        await reply(update, tr._("This absence is over or the family has changed."))
        return
    await query.answer()
    name, code = present(coach, "the covering coach").name, present(case, "the family").code
    await query.edit_message_text(
        tr._("%(name)s now covers %(code)s and has been told.", name=name, code=code)
    )
    await dispatch_due(context.bot, runtime)


HANDLERS = [CallbackQueryHandler(on_button, pattern=f"^{_PREFIX}")]
