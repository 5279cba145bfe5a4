from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime, str_enum


class Role(enum.StrEnum):
    COACH = "coach"
    TEAMLEAD = "teamlead"
    PARTNER = "partner"
    ADMIN = "admin"


class Coach(Base):
    """A team member or partner who may use the bot (partners are not coaches but share the table:
    enrolment, language and reachability work the same for everyone)."""

    __tablename__ = "coaches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.COACH)
    fte: Mapped[float] = mapped_column(Float, default=1.0)
    caseload_limit: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(5), default="nl")
    # E.164 (+31612345678): shown where a colleague must call them, as in a safety alert.
    phone: Mapped[str | None] = mapped_column(String(20))
    # Staff e-mail: shown like the phone number; a second channel may be set up to it.
    email: Mapped[str | None] = mapped_column(String(254))
    # The weekdays they work, "mon,tue,thu" (None: every office day); office-hours duties
    # never fall on another day.
    workdays: Mapped[str | None] = mapped_column(String(27))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"Coach(id={self.id}, name={self.name!r}, role={self.role.value})"
