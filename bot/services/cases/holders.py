"""Who may hold a family: the one invariant every writer goes through.

Only team roles can be a family's coach, back-up, cover, crisis alert recipient or waitlist
contact, because each of those sees the family's card. A partner (or a deactivated person)
never may. Taking someone's role away, or their access, is refused while they still hold
families, naming what to reassign first: nothing is released behind the lead's back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypeGuard

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Alert,
    AlertStatus,
    Case,
    CaseCover,
    Coach,
    CoverStatus,
    Role,
    WaitlistEntry,
)
from bot.models.waitlist_terms import EntryStatus

HOLDER_ROLES = frozenset({Role.COACH, Role.TEAMLEAD})


def may_hold(coach: Coach | None) -> TypeGuard[Coach]:
    """Whether this person may be given a family (or an alert about one)."""
    return coach is not None and coach.active and coach.role in HOLDER_ROLES


class NotAHolder(ValueError):
    """Raised by writers when asked to give a family to someone who may not hold one."""

    def __init__(self, coach: Coach) -> None:
        super().__init__(f"{coach.name} ({coach.role.value}) may not hold a family")
        self.coach = coach


def require_holder(coach: Coach) -> Coach:
    if not may_hold(coach):
        raise NotAHolder(coach)
    return coach


@dataclass
class Holdings:
    """What someone holds now, by case code, for the message that says what to reassign."""

    own: list[str] = field(default_factory=list)
    backup: list[str] = field(default_factory=list)
    covers: list[str] = field(default_factory=list)
    waitlist: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.own, self.backup, self.covers, self.waitlist, self.alerts))

    def codes(self) -> str:
        """Every case code involved, once, sorted: for a message naming what to reassign."""
        every = {*self.own, *self.backup, *self.covers, *self.waitlist, *self.alerts}
        return ", ".join(sorted(every))

    def summary(self) -> str:
        parts = [
            (label, codes)
            for label, codes in (
                ("coach of", self.own),
                ("back-up of", self.backup),
                ("covering", self.covers),
                ("waitlist contact of", self.waitlist),
                ("holding crisis alert for", self.alerts),
            )
            if codes
        ]
        return "; ".join(f"{label} {', '.join(sorted(codes))}" for label, codes in parts)


async def holdings(session: AsyncSession, coach: Coach, today: date) -> Holdings:
    live_case = or_(Case.end_date.is_(None), Case.end_date > today)
    held = Holdings()
    rows = await session.execute(
        select(Case.code, Case.coach_id, Case.backup_coach_id).where(
            live_case, or_(Case.coach_id == coach.id, Case.backup_coach_id == coach.id)
        )
    )
    for code, own, backup in rows:
        (held.own if own == coach.id else held.backup).append(code)
        if own == coach.id and backup == coach.id:
            held.backup.append(code)
    held.covers = list(
        await session.scalars(
            select(Case.code)
            .join(CaseCover, CaseCover.case_id == Case.id)
            .where(
                CaseCover.coach_id == coach.id,
                CaseCover.status.in_((CoverStatus.ASKED, CoverStatus.ACCEPTED)),
                CaseCover.released_at.is_(None),
            )
        )
    )
    held.waitlist = list(
        await session.scalars(
            select(WaitlistEntry.code).where(
                WaitlistEntry.contact_coach_id == coach.id,
                WaitlistEntry.status.in_((EntryStatus.REFERRED, EntryStatus.WAITING)),
            )
        )
    )
    held.alerts = list(
        await session.scalars(
            select(Alert.case_code).where(
                Alert.taken_by_id == coach.id, Alert.status == AlertStatus.TAKEN
            )
        )
    )
    return held


async def may_lose_holding(
    session: AsyncSession, coach: Coach, *, role: Role, active: bool, today: date
) -> Holdings:
    """Empty when `coach` may become `role` (active or not); else what they still hold."""
    if active and role in HOLDER_ROLES:
        return Holdings()
    return await holdings(session, coach, today)
