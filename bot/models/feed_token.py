"""Secret links to live rosters: the answering service's feed and a coach's calendar
subscription. Only a hash of each token is kept, so a copy of the database (a backup, a
restore on a test machine) gives nobody a working link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime

# The answering service's roster of every duty, with phone numbers.
FEED_ROSTER = "roster"
# One coach's own shifts, for their phone's calendar.
FEED_CALENDAR = "calendar"


class FeedToken(Base):
    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # A roster feed's consumer ("antwoorddienst"); a calendar subscription's coach.
    consumer: Mapped[str | None] = mapped_column(String(120))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
    # SHA-256 of the token, hex: looked up on every request.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
