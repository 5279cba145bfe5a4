"""/swap: offer one of my coming shifts to the team; the first colleague who presses "take it
over" gets it and both are told. The decisions are in bot/services/rosters/swaps.py."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.config.duties import Duty
from bot.handlers.context import AchtervangContext
from bot.handlers.replies import reply
from bot.handlers.required import data_of, message_of, present, query_of
from bot.i18n import N_, Translator
from bot.models import Coach, SwapOffer
from bot.scheduling.jobs import kick
from bot.services import parsing
from bot.services.rosters import swaps
from bot.services.rosters.swaps import MyShifts, Outcome, SwapResult
from bot.texts.roster import duty_name, span_text

log = logging.getLogger(__name__)

_PREFIX = "swap:"
# Telegram refuses more than 100 inline buttons on one message.
MAX_BUTTONS = 90
# A message worded for each reader in their own language.
Text = Callable[[Translator], str]


def piece_text(tr: Translator, duty: Duty, start: datetime, end: datetime) -> str:
    """'Piket: wo 25 nov 17:00 – do 26 nov 08:30'."""
    return tr._("%(duty)s: %(span)s", duty=duty_name(tr, duty), span=span_text(tr, start, end))


def offer_text(tr: Translator, offer: SwapOffer) -> str:
    return piece_text(tr, offer.duty, offer.start, offer.end)


# --- /swap -------------------------------------------------------------------------------


async def list_shifts(update: Update, context: AchtervangContext) -> None:
    runtime, tr = context.runtime, context.tr
    async with runtime.sessionmaker() as session:
        mine = await swaps.my_shifts(session, runtime.config, context.member, runtime.clock.now())
    text, keyboard = _list_view(tr, mine)
    await message_of(update).reply_text(text, reply_markup=keyboard)


def _list_view(tr: Translator, mine: MyShifts) -> tuple[str, InlineKeyboardMarkup | None]:
    rows: list[list[InlineKeyboardButton]] = []
    if mine.shifts:
        lines = [
            tr._(
                "Which shift do you want to offer to the team? The first colleague who takes "
                "it over gets it."
            )
        ]
        for shift in mine.shifts[: MAX_BUTTONS - len(mine.open_offers)]:
            label = piece_text(tr, shift.duty, shift.start, shift.end)
            data = f"{_PREFIX}offer:{shift.duty}:{int(shift.start.timestamp())}"
            rows.append([InlineKeyboardButton(label, callback_data=data)])
    else:
        lines = [tr._("You have no shifts in the next 4 weeks that you could offer.")]
    if mine.open_offers:
        lines += ["", tr._("Your open offers:")]
        for offer in mine.open_offers:
            lines.append(offer_text(tr, offer))
            label = tr._("Withdraw: %(shift)s", shift=offer_text(tr, offer))
            rows.append(
                [InlineKeyboardButton(label, callback_data=f"{_PREFIX}withdraw:{offer.id}")]
            )
    return "\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


# --- buttons -----------------------------------------------------------------------------


async def button_pressed(update: Update, context: AchtervangContext) -> None:
    action, _, argument = data_of(query_of(update)).removeprefix(_PREFIX).partition(":")
    if action == "offer":
        duty, _, stamp = argument.partition(":")
        if (start := parsing.timestamp(stamp)) is not None:
            await _offer(update, context, duty, start)
            return
    elif action in ("take", "withdraw") and (offer_id := parsing.row_id(argument)) is not None:
        await (_take if action == "take" else _withdraw)(update, context, offer_id)
        return
    await reply(update, context.tr._("This button no longer works."))


async def _offer(update: Update, context: AchtervangContext, duty: str, start: datetime) -> None:
    runtime, tr, coach = context.runtime, context.tr, context.member
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        result = await swaps.offer_shift(session, runtime.config, coach, duty, start, now)
        if result.outcome is not Outcome.OFFERED:
            await reply(update, refusal_text(tr, result))
            return
        # Committed before it is shown, so a quick colleague's press finds it.
        await session.commit()
        offer = present(result.offer, "the new offer")
        shown = await post_offer(context, session, coach, offer)
        await session.commit()
    await query_of(update).answer()
    text = tr._(
        "You offered %(shift)s to the team. I will tell you when a colleague takes it over.",
        shift=offer_text(tr, offer),
    )
    if not shown:
        text += "\n" + tr._(
            "I could not show the offer to any colleague yet. It stays open; "
            "/swap lets you withdraw it."
        )
    await query_of(update).edit_message_text(text)


async def post_offer(
    context: AchtervangContext,
    session: AsyncSession,
    offerer: Coach,
    offer: SwapOffer,
    *,
    absent: bool = False,
) -> int:
    """Shows the offer in the team group, or else privately to each colleague; returns in how
    many chats it was shown. A colleague the bot cannot reach does not stop the others."""
    runtime = context.runtime
    team_chat = runtime.config.team_chat_id
    if team_chat is not None:
        targets = [(team_chat, runtime.translator())]
    else:
        colleagues = await swaps.recipients(session, offerer)
        targets = [
            (c.telegram_user_id, runtime.translator(c.language))
            for c in colleagues
            if c.telegram_user_id is not None  # recipients() picks only reachable ones
        ]
    shown = 0
    for chat_id, tr in targets:
        if absent:
            text = tr._(
                "%(name)s is absent, so %(shift)s has nobody. Whoever presses the button first "
                "takes it over.",
                name=offerer.name,
                shift=offer_text(tr, offer),
            )
        else:
            text = tr._(
                "%(name)s offers a shift: %(shift)s. Whoever presses the button first takes it "
                "over.",
                name=offerer.name,
                shift=offer_text(tr, offer),
            )
        button = InlineKeyboardButton(
            tr._("I'll take it over"), callback_data=f"{_PREFIX}take:{offer.id}"
        )
        try:
            message = await context.bot.send_message(
                chat_id, text, reply_markup=InlineKeyboardMarkup([[button]])
            )
        except TelegramError:
            log.warning("could not show swap offer %s in chat %s", offer.id, chat_id)
            continue
        swaps.record_message(session, offer, message.chat_id, message.message_id)
        shown += 1
    return shown


async def _take(update: Update, context: AchtervangContext, offer_id: int) -> None:
    runtime, tr, taker = context.runtime, context.tr, context.member
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        result = await swaps.take_offer(session, runtime.config, taker, offer_id, now)
        if result.outcome is not Outcome.TAKEN:
            await reply(update, refusal_text(tr, result))
            return
        await session.commit()
    await query_of(update).answer()
    offer = present(result.offer, "the offer taken")
    offerer = present(result.offerer, "the offering coach")
    await _tell(
        context,
        taker,
        lambda t: t._(
            "You take over %(shift)s from %(offerer)s. The roster now shows you.",
            shift=offer_text(t, offer),
            offerer=offerer.name,
        ),
    )
    await _tell(
        context,
        offerer,
        lambda t: t._(
            "%(taker)s takes over your shift %(shift)s. The roster now shows %(taker)s.",
            taker=taker.name,
            shift=offer_text(t, offer),
        ),
    )
    await _update_posts(
        context,
        result,
        lambda t: t._(
            "%(offerer)s offered %(shift)s. %(taker)s took it over.",
            offerer=offerer.name,
            shift=offer_text(t, offer),
            taker=taker.name,
        ),
    )
    # The new holder's reminder and reachability check are planned now, not at the next tick.
    kick(context.application)


async def _withdraw(update: Update, context: AchtervangContext, offer_id: int) -> None:
    runtime, tr, coach = context.runtime, context.tr, context.member
    async with runtime.sessionmaker() as session:
        result = await swaps.withdraw_offer(session, coach, offer_id, runtime.clock.now())
        if result.outcome is not Outcome.WITHDRAWN:
            await reply(update, refusal_text(tr, result))
            return
        await session.commit()
    offer = present(result.offer, "the offer withdrawn")
    await query_of(update).answer()
    await query_of(update).edit_message_text(
        tr._("You withdrew your offer of %(shift)s.", shift=offer_text(tr, offer))
    )
    await _update_posts(
        context,
        result,
        lambda t: t._(
            "%(offerer)s withdrew the offer of %(shift)s.",
            offerer=coach.name,
            shift=offer_text(t, offer),
        ),
    )


# --- telling people ----------------------------------------------------------------------


async def _tell(context: AchtervangContext, coach: Coach | None, text: Text) -> None:
    if coach is None or coach.telegram_user_id is None:
        return
    tr = context.runtime.translator(coach.language)
    try:
        await context.bot.send_message(coach.telegram_user_id, text(tr))
    except TelegramError:
        log.warning("could not tell coach %s about a swap", coach.id)


async def _update_posts(context: AchtervangContext, result: SwapResult, text: Text) -> None:
    """Rewrites every message that showed the offer, without its button, in the language of
    whoever reads it there."""
    for posted in result.messages:
        tr = context.runtime.translator(posted.language)
        try:
            await context.bot.edit_message_text(
                text(tr), chat_id=posted.chat_id, message_id=posted.message_id
            )
        except TelegramError:
            log.warning("could not update a swap offer message in chat %s", posted.chat_id)


_REFUSALS = {
    Outcome.NOT_ON_TEAM: N_("That command is not available for your role."),
    Outcome.NOT_YOURS: N_("That shift is not yours, so you cannot offer it."),
    Outcome.SHIFT_CHANGED: N_(
        "The roster for that shift has changed in the meantime. Send /swap for the current "
        "situation."
    ),
    Outcome.STARTED: N_("That shift has already started, so it can no longer be swapped."),
    Outcome.ALREADY_OFFERED: N_("That shift has already been offered to the team."),
    Outcome.NO_SUCH_OFFER: N_("That offer no longer exists."),
    Outcome.WAS_WITHDRAWN: N_("This offer has been withdrawn."),
    Outcome.OWN_OFFER: N_("This is your own offer: a colleague has to take it over."),
    Outcome.ABSENT: N_(
        "You are registered as absent during that shift, so you cannot take it over."
    ),
    Outcome.ALREADY_ON_DUTY: N_(
        "You are already on duty during that shift, so you cannot take it over."
    ),
    Outcome.NOT_YOUR_OFFER: N_("Only the colleague who made the offer can withdraw it."),
}


def refusal_text(tr: Translator, result: SwapResult) -> str:
    if result.outcome is Outcome.ALREADY_TAKEN:
        if result.taker is not None:
            return tr._("Too late: %(name)s already took over this shift.", name=result.taker.name)
        return tr._("Too late: a colleague already took over this shift.")
    return tr._(_REFUSALS.get(result.outcome, N_("This button no longer works.")))


HANDLERS = [
    CommandHandler("swap", list_shifts),
    CallbackQueryHandler(button_pressed, pattern=f"^{_PREFIX}"),
]
