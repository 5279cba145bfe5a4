"""What a coach's morning reminder holds: their families with an evaluation due soon (or
overdue) and families not contacted for too long (or never)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.cases import CasesConfig
from bot.models import Case, Coach
from bot.services.cases.caseload import CASE_ROLES, active_clause


@dataclass(frozen=True)
class Due:
    evaluations: list[Case]  # soonest (most overdue) first
    stale: list[Case]  # never contacted first, then longest ago

    def __bool__(self) -> bool:
        return bool(self.evaluations or self.stale)


async def due_for(session: AsyncSession, rules: CasesConfig, coach_id: int, today: date) -> Due:
    evaluation_by = today + timedelta(days=rules.evaluation_warning_days)
    contact_before = today - timedelta(days=rules.stale_contact_days)
    cases = list(
        await session.scalars(
            select(Case).where(
                Case.coach_id == coach_id,
                active_clause(today),
                or_(
                    Case.next_evaluation <= evaluation_by,
                    Case.last_contact.is_(None),
                    Case.last_contact <= contact_before,
                ),
            )
        )
    )
    evaluations = sorted(
        (c for c in cases if c.next_evaluation is not None and c.next_evaluation <= evaluation_by),
        key=lambda c: (c.next_evaluation, c.code),
    )
    stale = sorted(
        (c for c in cases if c.last_contact is None or c.last_contact <= contact_before),
        key=lambda c: (c.last_contact or date.min, c.code),
    )
    return Due(evaluations, stale)


async def coaches_with_families(session: AsyncSession, today: date) -> list[int]:
    """Active team members who hold at least one active family: the ones to plan for."""
    return list(
        await session.scalars(
            select(Coach.id)
            .where(
                Coach.active.is_(True),
                Coach.role.in_(CASE_ROLES),
                Coach.id.in_(select(Case.coach_id).where(active_clause(today))),
            )
            .order_by(Coach.id)
        )
    )
