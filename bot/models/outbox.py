"""Messages the bot owes someone, stored before they are sent.

Scheduled notices (handover reminders, gap alerts, digests) are rows with a future `due_at`;
the scheduler only ticks and sends what is due. `key` makes planning idempotent: planning the
same notice twice, or again after a restart, finds the row already there.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, str_enum


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender; see dispatcher for what a crash here means
    SENT = "sent"
    FAILED = "failed"  # gave up (recipient unreachable or too many attempts)
    OBSOLETE = "obsolete"  # no longer true when it fell due (the roster changed)


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    # Exactly one of them: a coach (their private chat, in their language) or a chat.
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Who claimed the row for sending, and until when the claim stands if that instance goes
    # away: recovery takes back only a gone instance's expired claims (bot/operations/).
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
