"""Crisis alerts and who each step of their escalation went to. The escalation state (round,
step, next deadline) lives here, so a restarted bot resumes every open alert where it was."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, str_enum

ALERT_CRISIS = "crisis"
ALERT_SAFETY = "safety"


class AlertStatus(enum.StrEnum):
    OPEN = "open"  # escalating until someone takes it
    TAKEN = "taken"
    RESOLVED = "resolved"
    UNANSWERED = "unanswered"  # every round of the chain went unanswered


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_status_next_deadline", "status", "next_deadline"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "crisis" (a family in crisis) or "safety" (a coach on a home visit did not check out,
    # or pressed SOS): routed and escalated alike, worded differently.
    kind: Mapped[str] = mapped_column(String(10), default=ALERT_CRISIS, server_default="crisis")
    # As typed: a partner may alert for a family that is not in the bot yet.
    case_code: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    own_coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
    text: Mapped[str] = mapped_column(String(500))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("coaches.id"))
    # When the bot handled it: the escalation runs from here.
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the reporter wrote it (Telegram's message date), if it came from a message; a
    # message handled more than alerts.late_after after that arrived late, and says so.
    written_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    arrived_late: Mapped[bool] = mapped_column(default=False, server_default=false())
    in_office_hours: Mapped[bool]
    # The chain in force when raised, with its recipients: [{"to", "wait", "coach_ids"}].
    chain: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[AlertStatus] = mapped_column(str_enum(AlertStatus), default=AlertStatus.OPEN)
    round: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[int] = mapped_column(Integer, default=0)
    next_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(300))


class AlertRecipient(Base):
    """One coach alerted at one step of one round; a 'can't' answer is kept here."""

    __tablename__ = "alert_recipients"
    __table_args__ = (UniqueConstraint("alert_id", "coach_id", "round", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id"))
    round: Mapped[int] = mapped_column(Integer)
    step: Mapped[int] = mapped_column(Integer)
    outbox_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
