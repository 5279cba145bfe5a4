"""/rota: a team lead shows and changes the rotations (each change previewed for the coming
two weeks and put in force with a button), sets a coach's workdays and proposes a roster plan
(bot/handlers/rota_plan.py). Lead-only and private: the access gate sees to that."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.config.duties import DUTIES
from bot.handlers import rota_plan
from bot.handlers.context import AchtervangContext
from bot.handlers.long_text import reply_long
from bot.handlers.replies import edit_text, reply
from bot.handlers.required import data_of, message_of, query_of
from bot.scheduling.jobs import kick
from bot.services import parsing
from bot.services.rosters import rota_edit, rotations
from bot.services.rosters.overrides import Refusal as MatchRefusal
from bot.services.rosters.overrides import match_coach
from bot.services.team import workdays
from bot.texts import rota as text

_PREFIX = "rota:"
_WORKDAYS = {"workdays", "werkdagen"}


async def rota(update: Update, context: AchtervangContext) -> None:
    args = context.args or []
    action = args[0].lower() if args else ""
    if not args:
        await _overview(update, context)
    elif action in _WORKDAYS:
        await _set_workdays(update, context, args[1:])
    elif action == "plan":
        await rota_plan.propose(update, context, args[1:])
    else:
        await _propose(update, context, args)


async def _overview(update: Update, context: AchtervangContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        config = await rotations.effective_config(session, runtime.config, now, now)
    duties = config.duties
    handovers = {d: duties.handover(d).strftime("%H:%M") for d in DUTIES}
    rotas = {d: duties.rotation(d) for d in DUTIES}
    await reply_long(
        message_of(update), text.overview(context.tr, rotas, handovers, duties.workdays)
    )


async def _propose(update: Update, context: AchtervangContext, args: list[str]) -> None:
    runtime, tr = context.runtime, context.tr
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        preview = await rota_edit.propose(session, runtime.config, context.member, args, now)
        if isinstance(preview, rota_edit.Refusal):
            await message_of(update).reply_text(text.refusal_text(tr, preview))
            return
        await session.commit()
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr._("Confirm"), callback_data=f"{_PREFIX}ok:{preview.change_id}"
                ),
                InlineKeyboardButton(
                    tr._("Cancel"), callback_data=f"{_PREFIX}no:{preview.change_id}"
                ),
            ]
        ]
    )
    await message_of(update).reply_text(text.preview_text(tr, preview), reply_markup=keyboard)


async def decide(update: Update, context: AchtervangContext) -> None:
    runtime, tr, query = context.runtime, context.tr, query_of(update)
    answer, _, argument = data_of(query).removeprefix(_PREFIX).partition(":")
    change_id = parsing.row_id(argument)
    if answer not in ("ok", "no") or change_id is None:
        await reply(update, tr._("This button no longer works."))
        return
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        decision = await rota_edit.decide(
            session, runtime.config, context.member, change_id, answer == "ok", now
        )
        await session.commit()
    await query.answer()
    shown = query.message
    first_line = shown.text.split("\n", 1)[0] if isinstance(shown, Message) and shown.text else ""
    await edit_text(query, text.decision_text(tr, decision, first_line))
    if decision.outcome is rota_edit.Outcome.APPLIED:
        # Notices for the coming shifts are planned again from the new rotation.
        kick(context.application)


async def _set_workdays(update: Update, context: AchtervangContext, args: list[str]) -> None:
    runtime, tr = context.runtime, context.tr
    # The days are the longest tail that reads as days ("Eva ma, di, do"); the rest is the name.
    days, split = None, len(args)
    for start in range(1, len(args)):
        found = workdays.parse(" ".join(args[start:]))
        if found is not None:
            days, split = found, start
            break
    if days is None:
        await message_of(update).reply_text(
            tr._(
                "Use: /rota workdays <name> <days>, for example /rota workdays Anna mon-thu "
                "or /rota workdays Anna mon,tue,thu,fri (or all)."
            )
        )
        return
    async with runtime.sessionmaker() as session:
        coach = await match_coach(session, " ".join(args[:split]))
        if isinstance(coach, MatchRefusal):
            refusal = rota_edit.Refusal(
                rota_edit.Problem.AMBIGUOUS_COACH
                if coach.candidates
                else rota_edit.Problem.UNKNOWN_COACH,
                coach.detail,
                list(coach.candidates),
            )
            await message_of(update).reply_text(text.refusal_text(tr, refusal))
            return
        workdays.set_workdays(session, coach, days, by=context.member, now=runtime.clock.now())
        name = coach.name
        await session.commit()
    await message_of(update).reply_text(
        tr._(
            "%(name)s works on: %(days)s. Office-hours duties on other days go to the next "
            "member of the rotation.",
            name=name,
            days=text.weekdays_text(tr, workdays.from_stored(workdays.stored(days))),
        )
    )
    kick(context.application)


HANDLERS = [
    CommandHandler("rota", rota),
    CallbackQueryHandler(decide, pattern=f"^{_PREFIX}(ok|no):"),
    *rota_plan.HANDLERS,
]
