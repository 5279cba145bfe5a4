from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, str_enum
from bot.models.coach import Coach


class Phase(enum.StrEnum):
    AANMELDING = "aanmelding"
    INTAKE = "intake"
    PLAN = "plan"
    UITVOERING = "uitvoering"
    EVALUATIE = "evaluatie"
    AFSLUITING = "afsluiting"


class SafetyStatus(enum.StrEnum):
    NOT_ASSESSED = "not_assessed"
    ASSESSED = "assessed"
    SAFETY_PLAN = "safety_plan"
    VEILIG_THUIS = "veilig_thuis"


class Case(Base):
    """A family, known only by its pseudonymous case code (AVG data minimisation)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"), index=True)
    backup_coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"), index=True)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase), default=Phase.AANMELDING)
    start_date: Mapped[date | None] = mapped_column(Date)
    next_evaluation: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    safety_status: Mapped[SafetyStatus] = mapped_column(
        str_enum(SafetyStatus), default=SafetyStatus.NOT_ASSESSED
    )
    safety_date: Mapped[date | None] = mapped_column(Date)
    referrer: Mapped[str | None] = mapped_column(String(120))
    last_contact: Mapped[date | None] = mapped_column(Date)

    coach: Mapped[Coach | None] = relationship(foreign_keys=[coach_id])
    backup_coach: Mapped[Coach | None] = relationship(foreign_keys=[backup_coach_id])
