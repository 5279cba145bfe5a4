"""/waitlist_add: a team lead puts a referral on the waitlist, step by step with buttons:
code, referral date, referrer, complexity, cost band, safety concern, contact person (default:
today's bureaudienst). /cancel stops.

Acute safety (domestic violence, an acute crisis) does not wait: the entry is accepted at once
and a crisis alert goes to the coach on duty."""

from __future__ import annotations

import warnings
from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.handlers.context import AchtervangContext
from bot.handlers.required import data_of, message_of, query_of, text_of
from bot.handlers.waitlist import decision_markup
from bot.i18n import Translator
from bot.models import Coach
from bot.models.waitlist import WaitlistEntry
from bot.models.waitlist_terms import Concern
from bot.scheduling.dispatcher import dispatch_due
from bot.services import parsing
from bot.services.cases.example import example_code
from bot.services.rosters.input import parse_day
from bot.services.waitlist import store as waitlist
from bot.services.waitlist.store import Referral, Refused
from bot.texts.waitlist import CONCERN_NAMES, refusal_text

CODE, DAY, REFERRER, COMPLEXITY, COST, CONCERN, CONTACT = range(7)
_PREFIX = "wla:"
_DRAFT = "waitlist_draft"


def _buttons(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=_PREFIX + data) for label, data in row]
            for row in rows
        ]
    )


def _draft(context: AchtervangContext) -> dict:
    return context.user_state.setdefault(_DRAFT, {})


async def start(update: Update, context: AchtervangContext) -> int:
    context.user_state[_DRAFT] = {}
    args = context.args or []
    if args:
        return await _take_code(update, context, args[0])
    async with context.runtime.sessionmaker() as session:
        example = await example_code(session, context.runtime.config)
    await message_of(update).reply_text(
        context.tr._(
            "Which family? Send the case code, for example %(example)s. /cancel stops.",
            example=example,
        )
    )
    return CODE


async def got_code(update: Update, context: AchtervangContext) -> int:
    return await _take_code(update, context, text_of(message_of(update)).strip())


async def _take_code(update: Update, context: AchtervangContext, code: str) -> int:
    runtime, tr = context.runtime, context.tr
    now = runtime.clock.now()
    probe = Referral(code, runtime.config.local_date(now), None, 1, 1, Concern.NONE)
    async with runtime.sessionmaker() as session:
        refused = await waitlist.check_referral(session, probe, probe.referral_date)
    if refused is not None:
        await message_of(update).reply_text(
            refusal_text(tr, refused) + " " + tr._("Send another code, or /cancel.")
        )
        return CODE
    _draft(context)["code"] = code.upper()
    await message_of(update).reply_text(
        tr._("When was %(code)s referred? A date like 20-11-2026, or a button.", code=code.upper()),
        reply_markup=_buttons([[(tr._("Today"), "day:0"), (tr._("Yesterday"), "day:1")]]),
    )
    return DAY


def _referral_day(text: str, today: date) -> date | None:
    found = parse_day(text, today)
    if found is not None and found > today and text.count("-") + text.count("/") < 2:
        # A day and month without a year is the last such day, not the next.
        found = found.replace(year=found.year - 1)
    return found


async def got_day_text(update: Update, context: AchtervangContext) -> int:
    tr, runtime = context.tr, context.runtime
    today = runtime.config.local_date(runtime.clock.now())
    day = _referral_day(text_of(message_of(update)), today)
    if day is None or day > today:
        await message_of(update).reply_text(
            tr._("That is not a date in the past, like 20-11-2026. Try again, or /cancel.")
        )
        return DAY
    return await _take_day(update, context, day)


async def _not_understood(update: Update, context: AchtervangContext, state: int) -> int:
    """A forged or out-of-date button value: said so, nothing taken, same question open."""
    await message_of(update).reply_text(
        context.tr._("I didn't understand that. /help lists what you can do.")
    )
    return state


async def got_day_button(update: Update, context: AchtervangContext) -> int:
    await query_of(update).answer()
    back = parsing.ascii_int(data_of(query_of(update)).rsplit(":", 1)[1], 0, 1)
    if back is None:
        return await _not_understood(update, context, DAY)
    today = context.runtime.config.local_date(context.runtime.clock.now())
    return await _take_day(update, context, today - timedelta(days=back))


async def _take_day(update: Update, context: AchtervangContext, day: date) -> int:
    _draft(context)["day"] = day.isoformat()
    await message_of(update).reply_text(
        context.tr._("Who referred the family (for example Wijkteam Noord)? Send - if unknown.")
    )
    return REFERRER


async def got_referrer(update: Update, context: AchtervangContext) -> int:
    text = text_of(message_of(update)).strip()[:120]
    _draft(context)["referrer"] = None if text in ("", "-") else text
    tr = context.tr
    await message_of(update).reply_text(
        tr._("How complex is the family's situation, from 1 (least) to 5 (most)?"),
        reply_markup=_buttons([[(str(n), f"cx:{n}") for n in range(1, 6)]]),
    )
    return COMPLEXITY


async def got_complexity(update: Update, context: AchtervangContext) -> int:
    query, tr = query_of(update), context.tr
    await query.answer()
    complexity = parsing.ascii_int(data_of(query).rsplit(":", 1)[1], 1, 5)
    if complexity is None:
        return await _not_understood(update, context, COMPLEXITY)
    _draft(context)["complexity"] = complexity
    await message_of(update).reply_text(
        tr._("Yearly cost band for the municipality, from 1 (lowest) to 4 (highest)?"),
        reply_markup=_buttons([[(str(n), f"cost:{n}") for n in range(1, 5)]]),
    )
    return COST


async def got_cost(update: Update, context: AchtervangContext) -> int:
    query, tr = query_of(update), context.tr
    await query.answer()
    cost = parsing.ascii_int(data_of(query).rsplit(":", 1)[1], 1, 4)
    if cost is None:
        return await _not_understood(update, context, COST)
    _draft(context)["cost"] = cost
    await message_of(update).reply_text(
        tr._("Is there a safety concern?"),
        reply_markup=_buttons([[(tr._(CONCERN_NAMES[c]), f"sc:{c.value}")] for c in Concern]),
    )
    return CONCERN


async def got_concern(update: Update, context: AchtervangContext) -> int:
    query, runtime, tr = query_of(update), context.runtime, context.tr
    await query.answer()
    concern = data_of(query).rsplit(":", 1)[1]
    if concern not in {c.value for c in Concern}:
        return await _not_understood(update, context, CONCERN)
    _draft(context)["concern"] = concern
    async with runtime.sessionmaker() as session:
        default = await waitlist.contact_of_the_day(session, runtime.config, runtime.clock.now())
    rows = (
        [[(tr._("%(name)s (bureaudienst today)", name=default.name), "ct:day")]] if default else []
    )
    await message_of(update).reply_text(
        tr._(
            "Who on the team is the family's contact person while it waits? Send a name, "
            "or take today's bureaudienst."
        ),
        reply_markup=_buttons(rows) if rows else None,
    )
    return CONTACT


async def got_contact_name(update: Update, context: AchtervangContext) -> int:
    runtime, tr = context.runtime, context.tr
    text = text_of(message_of(update)).strip()
    async with runtime.sessionmaker() as session:
        found = await waitlist.match_team_member(session, text)
    if isinstance(found, Refused):
        await message_of(update).reply_text(
            refusal_text(tr, found) + " " + tr._("Try again, or /cancel.")
        )
        return CONTACT
    return await _save(update, context, found)


async def got_contact_button(update: Update, context: AchtervangContext) -> int:
    await query_of(update).answer()
    return await _save(update, context, None)


async def _save(update: Update, context: AchtervangContext, contact: Coach | None) -> int:
    runtime, tr = context.runtime, context.tr
    draft = context.user_state.pop(_DRAFT, {})
    concern = Concern(draft["concern"])
    referral = Referral(
        code=draft["code"],
        referral_date=date.fromisoformat(draft["day"]),
        referrer=draft.get("referrer"),
        complexity=draft["complexity"],
        cost_band=draft["cost"],
        concern=concern,
    )
    now = runtime.clock.now()
    message = message_of(update)
    async with runtime.sessionmaker() as session:
        entry = await waitlist.add(
            session, runtime.config, referral, actor=context.coach, now=now, contact=contact
        )
        if isinstance(entry, Refused):
            await message.reply_text(refusal_text(tr, entry))
            return ConversationHandler.END
        await session.commit()
    await message.reply_text(**_saved(tr, entry))
    if concern == Concern.ACUTE:
        await dispatch_due(context.bot, runtime)
    return ConversationHandler.END


def _saved(tr: Translator, entry: WaitlistEntry) -> dict:
    if entry.concern == Concern.ACUTE:
        return {
            "text": tr._(
                "%(code)s does not wait: it is accepted, first in line, and a crisis alert went "
                "to the coach on duty. Plan the intake with /intake %(code)s <coach>.",
                code=entry.code,
            )
        }
    return {
        "text": tr._(
            "%(code)s is registered as a referral. Do you accept it onto the waitlist?",
            code=entry.code,
        ),
        "reply_markup": decision_markup(tr, entry),
    }


async def cancel(update: Update, context: AchtervangContext) -> int:
    context.user_state.pop(_DRAFT, None)
    await message_of(update).reply_text(context.tr._("Stopped. Nothing was put on the waitlist."))
    return ConversationHandler.END


_TEXT = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE


def _on(pattern: str, callback) -> CallbackQueryHandler:
    return CallbackQueryHandler(callback, pattern=f"^{_PREFIX}{pattern}:")


with warnings.catch_warnings():
    # Buttons are tracked per chat, not per message, on purpose: one referral at a time.
    warnings.simplefilter("ignore", PTBUserWarning)
    CONVERSATION = ConversationHandler(
        entry_points=[CommandHandler("waitlist_add", start)],
        states={
            CODE: [MessageHandler(_TEXT, got_code)],
            DAY: [MessageHandler(_TEXT, got_day_text), _on("day", got_day_button)],
            REFERRER: [MessageHandler(_TEXT, got_referrer)],
            COMPLEXITY: [_on("cx", got_complexity)],
            COST: [_on("cost", got_cost)],
            CONCERN: [_on("sc", got_concern)],
            CONTACT: [MessageHandler(_TEXT, got_contact_name), _on("ct", got_contact_button)],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        allow_reentry=True,
        name="waitlist_add",
    )

HANDLERS = [CONVERSATION]
