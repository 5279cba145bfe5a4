"""Roster changes kept in the database: overrides (a coach takes over a span of a duty) and
swap offers (a coach offers one of their shifts to the team)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.config.duties import Duty  # one of DUTIES: the writers take it from there
from bot.models.base import Base, UTCDateTime, str_enum


class OverrideKind(enum.StrEnum):
    OVERRIDE = "override"  # set by a team lead
    SWAP = "swap"  # a coach took a swap offer


class RosterOverride(Base):
    """`coach` holds `duty` in [start, end) instead of whoever the rotation names. The latest
    one wins where several overlap; a cancelled override no longer counts."""

    __tablename__ = "roster_overrides"
    __table_args__ = (Index("ix_roster_overrides_duty_start", "duty", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty: Mapped[Duty] = mapped_column(String(20))
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id"))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[OverrideKind] = mapped_column(str_enum(OverrideKind))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SwapStatus(enum.StrEnum):
    OPEN = "open"
    TAKEN = "taken"
    WITHDRAWN = "withdrawn"


class SwapOffer(Base):
    """A coach offers their shift of `duty` in [start, end); the first colleague to take it gets
    it (an override of kind swap)."""

    __tablename__ = "swap_offers"
    # One open offer per shift, also when two presses race: the database refuses the second.
    __table_args__ = (
        Index(
            "uq_swap_offers_open_shift",
            "duty",
            "start",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty: Mapped[Duty] = mapped_column(String(20))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    offered_by_id: Mapped[int] = mapped_column(ForeignKey("coaches.id"), index=True)
    status: Mapped[SwapStatus] = mapped_column(str_enum(SwapStatus), default=SwapStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    override_id: Mapped[int | None] = mapped_column(ForeignKey("roster_overrides.id"))


class SwapOfferMessage(Base):
    """Where an offer was shown, so the messages can say who took it afterwards."""

    __tablename__ = "swap_offer_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("swap_offers.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
