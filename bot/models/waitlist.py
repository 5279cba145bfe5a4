from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, str_enum
from bot.models.waitlist_terms import Concern, EntryStatus


class WaitlistEntry(Base):
    """A referred family waiting for a coach, known only by its case code."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        # A family is on the list once at a time; after intake or withdrawal it may return.
        Index(
            "uq_waitlist_entries_live_code",
            "code",
            unique=True,
            sqlite_where=text("status IN ('referred', 'waiting')"),
            postgresql_where=text("status IN ('referred', 'waiting')"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    referral_date: Mapped[date] = mapped_column(Date)
    referrer: Mapped[str | None] = mapped_column(String(120))
    complexity: Mapped[int] = mapped_column(Integer)  # 1 (simple) – 5 (most complex)
    cost_band: Mapped[int] = mapped_column(Integer)  # yearly cost to the municipality, band 1–4
    concern: Mapped[Concern] = mapped_column(str_enum(Concern))
    # Whom the waiting family (and its referrer) can reach meanwhile.
    contact_coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
    status: Mapped[EntryStatus] = mapped_column(str_enum(EntryStatus), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
