"""Swap offers: a coach offers one of their coming shifts and the first colleague to take it
over gets it (an override of kind swap). Only the decisions live here; the handler turns the
outcomes into messages. The caller commits."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import DUTIES, Duty
from bot.config.team import TeamConfig
from bot.db import rowcount
from bot.models import (
    Coach,
    OverrideKind,
    Role,
    RosterOverride,
    SwapOffer,
    SwapOfferMessage,
    SwapStatus,
)
from bot.services.audit import trail as audit
from bot.services.rosters.core import Shift
from bot.services.rosters.store import RosterState, load_roster

# How far ahead /swap lists shifts to offer.
HORIZON = timedelta(weeks=4)
# Who is on the rosters and may offer or take shifts (the roles /swap is registered for).
SWAP_ROLES = frozenset({Role.COACH, Role.TEAMLEAD, Role.ADMIN})


class Outcome(enum.Enum):
    OFFERED = "offered"
    TAKEN = "taken"
    WITHDRAWN = "withdrawn"
    # Refusals: nothing was changed.
    NOT_ON_TEAM = "not_on_team"
    NOT_YOURS = "not_yours"  # offering a shift someone else holds
    SHIFT_CHANGED = "shift_changed"  # the shift is no longer the one that was listed/offered
    STARTED = "started"
    ALREADY_OFFERED = "already_offered"
    NO_SUCH_OFFER = "no_such_offer"
    ALREADY_TAKEN = "already_taken"
    WAS_WITHDRAWN = "was_withdrawn"
    OWN_OFFER = "own_offer"
    ABSENT = "absent"
    ALREADY_ON_DUTY = "already_on_duty"
    NOT_YOUR_OFFER = "not_your_offer"  # withdrawing someone else's offer


@dataclass(frozen=True)
class Posted:
    """A message that showed an offer; language None for the team group (the team's own)."""

    chat_id: int
    message_id: int
    language: str | None


@dataclass(frozen=True)
class SwapResult:
    outcome: Outcome
    offer: SwapOffer | None = None
    offerer: Coach | None = None
    # Who took the offer: the taker on success, the earlier winner on ALREADY_TAKEN.
    taker: Coach | None = None
    # Where the offer was shown, to update those messages after a take or withdrawal.
    messages: list[Posted] = field(default_factory=list)


@dataclass(frozen=True)
class MyShifts:
    """What /swap shows a coach: coming shifts they may offer and their offers still open."""

    shifts: list[Shift]
    open_offers: list[SwapOffer]


async def my_shifts(
    session: AsyncSession, config: TeamConfig, coach: Coach, now: datetime
) -> MyShifts:
    state = await load_roster(session, config, now, now + HORIZON)
    offers = await _open_offers_by(session, coach)
    offered = {(o.duty, o.start) for o in offers}
    shifts = []
    for piece in state.all_shifts(now, now + HORIZON):
        if piece.holder != coach.name or piece.start <= now:
            continue
        # The whole piece, also when the horizon cuts it off: offering re-finds it this way.
        whole = state.holder_at(piece.duty, piece.start)
        if whole is not None and (whole.duty, whole.start) not in offered:
            shifts.append(whole)
    return MyShifts(shifts, offers)


async def offer_shift(
    session: AsyncSession,
    config: TeamConfig,
    coach: Coach,
    duty: str,
    start: datetime,
    now: datetime,
) -> SwapResult:
    """Offers the coach's shift of `duty` starting at `start` (as /swap listed it)."""
    if coach.role not in SWAP_ROLES:
        return SwapResult(Outcome.NOT_ON_TEAM)
    if duty not in DUTIES:
        return SwapResult(Outcome.NOT_YOURS)
    state = await load_roster(session, config, start, start)
    piece = state.holder_at(duty, start)
    if piece is None or piece.holder != coach.name:
        return SwapResult(Outcome.NOT_YOURS)
    if piece.start != start:
        return SwapResult(Outcome.SHIFT_CHANGED)
    if start <= now:
        return SwapResult(Outcome.STARTED)
    offer = await _open_offer(session, coach, piece, now)
    if offer is None:
        return SwapResult(Outcome.ALREADY_OFFERED)
    return SwapResult(Outcome.OFFERED, offer=offer, offerer=coach)


async def _open_offer(
    session: AsyncSession, coach: Coach, piece: Shift, now: datetime
) -> SwapOffer | None:
    """Stores an open offer of the piece by `coach`, or None when it is already on offer."""
    if await _open_offer_overlapping(session, piece.duty, piece.start, piece.end) is not None:
        return None
    offer = SwapOffer(
        duty=piece.duty,
        start=piece.start,
        end=piece.end,
        offered_by_id=coach.id,
        status=SwapStatus.OPEN,
        created_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(offer)
            await session.flush()
    except IntegrityError:  # a simultaneous press offered it first
        return None
    _audit(session, now, "offered", coach, offer, coach)
    return offer


async def offer_absent_shifts(
    session: AsyncSession, config: TeamConfig, coach: Coach, now: datetime
) -> list[SwapOffer]:
    """While a coach is absent their coming shifts are gaps. Each is offered to the team on
    their behalf, as /swap would: the first colleague to take it holds it. Shifts already on
    offer are left as they are, so reporting twice offers nothing twice."""
    state = await load_roster(session, config, now, now + HORIZON)
    offers = []
    for piece in state.all_shifts(now, now + HORIZON):
        if piece.absent != coach.name or piece.start <= now:
            continue
        offer = await _open_offer(session, coach, piece, now)
        if offer is not None:
            offers.append(offer)
    return offers


async def withdraw_absence_offers(
    session: AsyncSession, coach: Coach, since: datetime, now: datetime
) -> None:
    """The coach is back early: their open offers made since the absence was reported are
    withdrawn, so a late press cannot take a shift they now hold again."""
    await session.execute(
        update(SwapOffer)
        .where(
            SwapOffer.offered_by_id == coach.id,
            SwapOffer.status == SwapStatus.OPEN,
            SwapOffer.created_at >= since,
        )
        .values(status=SwapStatus.WITHDRAWN)
        .execution_options(synchronize_session=False)
    )


async def recipients(session: AsyncSession, offerer: Coach) -> list[Coach]:
    """The colleagues who get an offer privately when the team has no group chat."""
    rows = await session.scalars(
        select(Coach)
        .where(
            Coach.active.is_(True),
            Coach.telegram_user_id.is_not(None),
            Coach.role.in_(SWAP_ROLES),
            Coach.id != offerer.id,
        )
        .order_by(Coach.name)
    )
    return list(rows)


def record_message(session: AsyncSession, offer: SwapOffer, chat_id: int, message_id: int) -> None:
    session.add(SwapOfferMessage(offer_id=offer.id, chat_id=chat_id, message_id=message_id))


async def take_offer(
    session: AsyncSession, config: TeamConfig, taker: Coach, offer_id: int, now: datetime
) -> SwapResult:
    """Gives the offered shift to `taker` if it is still open and they can hold it."""
    offer = await session.get(SwapOffer, offer_id)
    if offer is None:
        return SwapResult(Outcome.NO_SUCH_OFFER)
    offerer = await session.get(Coach, offer.offered_by_id)
    refusal = await _closed(session, offer, offerer)
    if refusal is not None:
        return refusal
    if taker.role not in SWAP_ROLES:
        return SwapResult(Outcome.NOT_ON_TEAM, offer=offer, offerer=offerer)
    if taker.id == offer.offered_by_id:
        return SwapResult(Outcome.OWN_OFFER, offer=offer, offerer=offerer)
    if offer.start <= now:
        return SwapResult(Outcome.STARTED, offer=offer, offerer=offerer)
    state = await load_roster(session, config, offer.start, offer.end)
    if _absent_during(state, taker.name, offer.start, offer.end):
        return SwapResult(Outcome.ABSENT, offer=offer, offerer=offerer)
    if _on_duty_during(state, taker.name, offer.start, offer.end):
        return SwapResult(Outcome.ALREADY_ON_DUTY, offer=offer, offerer=offerer)
    pieces = state.shifts(offer.duty, offer.start, offer.end)
    if offerer is None:  # offered_by_id is a foreign key: the row is there
        raise LookupError(f"swap offer {offer.id} has no offering coach")
    # A team lead may have given (part of) the shift to someone else since it was offered.
    if any(offerer.name not in (p.holder, p.absent) for p in pieces):
        return SwapResult(Outcome.SHIFT_CHANGED, offer=offer, offerer=offerer)

    if not await claim(session, offer.id, taker, now):
        await session.refresh(offer)
        return await _closed(session, offer, offerer) or SwapResult(Outcome.NO_SUCH_OFFER)
    await session.refresh(offer)
    override = RosterOverride(
        duty=offer.duty,
        coach_id=taker.id,
        start=offer.start,
        end=offer.end,
        kind=OverrideKind.SWAP,
        created_at=now,
        created_by_id=taker.id,
    )
    session.add(override)
    await session.flush()
    offer.override_id = override.id
    _audit(session, now, "taken", taker, offer, offerer, taker)
    messages = await _messages(session, offer)
    return SwapResult(Outcome.TAKEN, offer=offer, offerer=offerer, taker=taker, messages=messages)


async def claim(session: AsyncSession, offer_id: int, taker: Coach, now: datetime) -> bool:
    """Marks the offer taken by `taker` unless it is no longer open, in one statement, so of
    two colleagues pressing at the same moment exactly one wins (the database locks the row;
    the loser's UPDATE then matches nothing)."""
    result = await session.execute(
        update(SwapOffer)
        .where(SwapOffer.id == offer_id, SwapOffer.status == SwapStatus.OPEN)
        .values(status=SwapStatus.TAKEN, taken_by_id=taker.id, taken_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


async def withdraw_offer(
    session: AsyncSession, coach: Coach, offer_id: int, now: datetime
) -> SwapResult:
    offer = await session.get(SwapOffer, offer_id)
    if offer is None:
        return SwapResult(Outcome.NO_SUCH_OFFER)
    if offer.offered_by_id != coach.id:
        return SwapResult(Outcome.NOT_YOUR_OFFER, offer=offer)
    refusal = await _closed(session, offer, coach)
    if refusal is not None:
        return refusal
    result = await session.execute(
        update(SwapOffer)
        .where(SwapOffer.id == offer.id, SwapOffer.status == SwapStatus.OPEN)
        .values(status=SwapStatus.WITHDRAWN)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(offer)
    if rowcount(result) != 1:
        return await _closed(session, offer, coach) or SwapResult(Outcome.NO_SUCH_OFFER)
    _audit(session, now, "withdrawn", coach, offer, coach)
    messages = await _messages(session, offer)
    return SwapResult(Outcome.WITHDRAWN, offer=offer, offerer=coach, messages=messages)


# --- helpers -----------------------------------------------------------------------------


async def _closed(
    session: AsyncSession, offer: SwapOffer, offerer: Coach | None
) -> SwapResult | None:
    """The refusal for an offer that is no longer open, or None while it is."""
    if offer.status == SwapStatus.TAKEN:
        winner = await session.get(Coach, offer.taken_by_id) if offer.taken_by_id else None
        return SwapResult(Outcome.ALREADY_TAKEN, offer=offer, offerer=offerer, taker=winner)
    if offer.status == SwapStatus.WITHDRAWN:
        return SwapResult(Outcome.WAS_WITHDRAWN, offer=offer, offerer=offerer)
    return None


async def _open_offers_by(session: AsyncSession, coach: Coach) -> list[SwapOffer]:
    rows = await session.scalars(
        select(SwapOffer)
        .where(SwapOffer.offered_by_id == coach.id, SwapOffer.status == SwapStatus.OPEN)
        .order_by(SwapOffer.start, SwapOffer.id)
    )
    return list(rows)


async def _open_offer_overlapping(
    session: AsyncSession, duty: Duty, start: datetime, end: datetime
) -> SwapOffer | None:
    return await session.scalar(
        select(SwapOffer)
        .where(
            SwapOffer.duty == duty,
            SwapOffer.status == SwapStatus.OPEN,
            SwapOffer.start < end,
            SwapOffer.end > start,
        )
        .limit(1)
    )


async def _messages(session: AsyncSession, offer: SwapOffer) -> list[Posted]:
    # A private chat's id is the reader's Telegram id.
    rows = await session.execute(
        select(SwapOfferMessage.chat_id, SwapOfferMessage.message_id, Coach.language)
        .select_from(SwapOfferMessage)
        .outerjoin(Coach, Coach.telegram_user_id == SwapOfferMessage.chat_id)
        .where(SwapOfferMessage.offer_id == offer.id)
        .order_by(SwapOfferMessage.id)
    )
    return [Posted(chat_id, message_id, language) for chat_id, message_id, language in rows]


def _absent_during(state: RosterState, name: str, start: datetime, end: datetime) -> bool:
    # Any overlap counts, not only the start: an absence halfway through would leave a gap.
    return any(
        a.name == name and a.start < end and (a.end is None or a.end > start)
        for a in state.absences
    )


def _on_duty_during(state: RosterState, name: str, start: datetime, end: datetime) -> bool:
    """Holding any duty then: the same duty, or piket and second line at once, which would
    leave no real second line. Bureaudienst and piket never overlap in time."""
    return any(s.holder == name for duty in DUTIES for s in state.shifts(duty, start, end))


def _audit(
    session: AsyncSession,
    now: datetime,
    outcome: str,
    actor: Coach,
    offer: SwapOffer,
    offerer: Coach | None,
    taker: Coach | None = None,
) -> None:
    detail = f"offer {offer.id}: {offer.duty} {offer.start.isoformat()}–{offer.end.isoformat()}"
    if taker is not None:
        detail += f", taken by {taker.name}"
    audit.record(
        session,
        at=now,
        action="roster.swap",
        outcome=outcome,
        actor=actor,
        subject=offerer.name if offerer else None,
        detail=detail,
    )
