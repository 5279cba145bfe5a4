"""Updates as Telegram sent them, stored before Telegram is told they arrived.

A row is written (a whole getUpdates batch in one transaction) before the next getUpdates
confirms it, and is marked handled once the bot has handled it; a restarted bot handles what
is still unhandled. Handled rows are pruned after a retention period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime


class InboxUpdate(Base):
    __tablename__ = "inbox_updates"
    __table_args__ = (Index("ix_inbox_updates_handled_at", "handled_at"),)

    # Telegram's own id: storing the same update twice is a no-op, so is handling it again.
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    raw: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How often a restart handled it again: an update whose handling keeps killing the
    # process is given up after a few, so it cannot keep the bot from starting.
    replays: Mapped[int] = mapped_column(Integer, default=0)
