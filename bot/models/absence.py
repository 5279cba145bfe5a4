from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, str_enum


class AbsenceKind(enum.StrEnum):
    SICK = "sick"
    LEAVE = "leave"
    TRAINING = "training"
    OTHER = "other"


class AbsenceRecord(Base):
    """A coach is unavailable in [start, end); end None is open-ended (sick, until /back).
    While absent, the coach's roster shifts are gaps, never answers to "who is on duty"."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id"), index=True)
    kind: Mapped[AbsenceKind] = mapped_column(str_enum(AbsenceKind))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
