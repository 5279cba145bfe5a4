from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, str_enum


class CoverStatus(enum.StrEnum):
    ASKED = "asked"  # a request is out, waiting for accept/decline until the deadline
    ACCEPTED = "accepted"  # this coach covers the family until released
    DECLINED = "declined"
    EXPIRED = "expired"  # no answer before the deadline
    CANCELLED = "cancelled"  # the absence ended or the lead assigned someone else first
    RELEASED = "released"  # the cover ended with the absence


class CaseCover(Base):
    """One backup request for one family during one absence, and, once accepted, the cover
    itself. A coach with an accepted, unreleased cover may see the family's full card and
    receives its crisis alerts."""

    __tablename__ = "case_covers"
    __table_args__ = (
        # At most one live request or cover per family per absence: a restart mid-round
        # cannot ask twice.
        Index(
            "uq_case_covers_live",
            "case_id",
            "absence_id",
            unique=True,
            sqlite_where=text("status IN ('asked', 'accepted')"),
            postgresql_where=text("status IN ('asked', 'accepted')"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    absence_id: Mapped[int | None] = mapped_column(ForeignKey("absences.id"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id"), index=True)
    status: Mapped[CoverStatus] = mapped_column(str_enum(CoverStatus), index=True)
    # Position in the candidate list (0 = first asked); a lead's manual assignment has none.
    rank: Mapped[int | None] = mapped_column(Integer)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outbox_key: Mapped[str | None] = mapped_column(String(120))
