"""Safe home visits: a coach says where they go and until when; the bot raises a safety alert
when they do not check out. Every deadline is a column, so a restarted (or standby) bot
resumes each running visit where it was."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, str_enum


class VisitStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the coach to pick how long it takes
    RUNNING = "running"
    ENDED = "ended"


class VisitStage(enum.IntEnum):
    """What the bot has done about the visit's end so far; only ever moves forward (an
    extension starts it again from NONE)."""

    NONE = 0
    REMINDED = 1
    LAST_CALL = 2
    ALERTED = 3


class Visit(Base):
    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_status_next_at", "status", "next_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id"), index=True)
    case_code: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expected_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[VisitStatus] = mapped_column(str_enum(VisitStatus), default=VisitStatus.PENDING)
    stage: Mapped[int] = mapped_column(Integer, default=VisitStage.NONE)
    # When the next stage is due (reminder, last call, alert); None once alerted or ended.
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "safe" (checked out), "resolved" (the safety alert's taker closed it), "expired".
    ended_how: Mapped[str | None] = mapped_column(String(20))


class VisitLocation(Base):
    """The last location the coach shared during a visit. Deleted when the visit ends (or a
    day later at the latest): the bot keeps no track of where coaches have been."""

    __tablename__ = "visit_locations"

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    live: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the safety alert's messages on screen were last redrawn with a newer location:
    # a moving live location is shown at most once a minute (Telegram limits edits).
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
