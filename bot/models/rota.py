"""The rota kept in the database: each duty's rotation (members in order, shift length,
handover, start), the changes a team lead previewed, and proposed or approved roster plans.

The team config's rotations are only the initial content: they are copied in when these tables
are empty (bot/services/rosters/rotations.py)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.config.duties import Duty  # one of DUTIES: the writers take it from there
from bot.models.base import Base, UTCDateTime, str_enum


class RotationRow(Base):
    """One duty's rotation settings; its members are RotationMember rows."""

    __tablename__ = "rotations"

    duty: Mapped[str] = mapped_column(String(20), primary_key=True)
    shift: Mapped[str] = mapped_column(String(8), default="week")
    # "HH:MM" local, or None: the duty's hours begin (office start or end).
    handover: Mapped[str | None] = mapped_column(String(5))
    start: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))


class RotationMember(Base):
    """A name in a duty's rotation at `position` (0 first). Names match coaches the way the
    team config's names always did (case and spacing ignored), so a name without a coach yet
    can stand in the rotation and is reported as unlinked."""

    __tablename__ = "rotation_members"
    __table_args__ = (Index("ix_rotation_members_duty_position", "duty", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))


class RotaChangeStatus(enum.StrEnum):
    PENDING = "pending"
    APPLIED = "applied"
    CANCELLED = "cancelled"
    STALE = "stale"  # the rotation changed between preview and confirmation


class RotaChange(Base):
    """A change to one rotation as previewed to a team lead; applied only when confirmed and
    only if the rotation is still as it was when previewed."""

    __tablename__ = "rota_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("coaches.id"))
    duty: Mapped[Duty] = mapped_column(String(20))
    before: Mapped[str] = mapped_column(Text)  # the rotation as JSON
    after: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(String(200))  # for the audit trail, English
    status: Mapped[RotaChangeStatus] = mapped_column(
        str_enum(RotaChangeStatus), default=RotaChangeStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PlanStatus(enum.StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    DISCARDED = "discarded"


class RosterPlan(Base):
    """A roster proposed for the local days [first_day, until); once approved its shifts are
    the roster there (overrides, swaps and absences still apply on top)."""

    __tablename__ = "roster_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    until: Mapped[date] = mapped_column(Date)
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus), default=PlanStatus.PROPOSED)
    # The planner's summary (hours against fair share, holidays, gaps) as JSON.
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))


class RosterPlanShift(Base):
    """One planned shift; coach None is a gap the planner could not fill."""

    __tablename__ = "roster_plan_shifts"
    __table_args__ = (Index("ix_roster_plan_shifts_start", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("roster_plans.id", ondelete="CASCADE"), index=True
    )
    duty: Mapped[Duty] = mapped_column(String(20))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
