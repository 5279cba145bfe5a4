"""Families with distinctive case data, so a test can tell whether any of it reached a chat."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.models import (
    Alert,
    AlertRecipient,
    AlertStatus,
    Case,
    CaseCover,
    CoverStatus,
    Phase,
    SafetyStatus,
)
from tests.e2e.conftest import coach_named

# Each value appears nowhere else in the bot's texts (words in both languages, dates).
SECRETS_NL = ("evaluatie", "Veilig Thuis", "Wijkagent Oost", "2 mrt 2026", "17 nov 2026", "12 okt")
SECRETS_EN = ("evaluation", "Veilig Thuis", "Wijkagent Oost", "2 Mar 2026", "17 Nov 2026", "12 Oct")
RAISED = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


async def add_case(
    sessionmaker: async_sessionmaker[AsyncSession],
    code: str,
    coach: str | None,
    backup: str | None = None,
) -> Case:
    """A family in evaluation with Veilig Thuis involved, referred by the police, its
    evaluation (20 Nov) overdue on Monday 23 Nov 2026."""
    own = await coach_named(sessionmaker, coach) if coach else None
    second = await coach_named(sessionmaker, backup) if backup else None
    async with sessionmaker() as session:
        case = Case(
            code=code,
            coach_id=own.id if own else None,
            backup_coach_id=second.id if second else None,
            phase=Phase.EVALUATIE,
            start_date=date(2026, 3, 2),
            next_evaluation=date(2026, 11, 20),
            safety_status=SafetyStatus.VEILIG_THUIS,
            safety_date=date(2026, 10, 12),
            referrer="Wijkagent Oost",
            last_contact=date(2026, 11, 17),
        )
        session.add(case)
        await session.commit()
    return case


async def add_cover(sessionmaker, case: Case, name: str, status=CoverStatus.ACCEPTED) -> None:
    covering = await coach_named(sessionmaker, name)
    async with sessionmaker() as session:
        session.add(
            CaseCover(case_id=case.id, coach_id=covering.id, status=status, asked_at=RAISED)
        )
        await session.commit()


async def add_alert(sessionmaker, case: Case, *, taken_by: str | None, sent_to: str | None) -> None:
    """A crisis alert for the family: taken (and not resolved) by one coach, or still open
    and sent to another."""
    taker = await coach_named(sessionmaker, taken_by) if taken_by else None
    recipient = await coach_named(sessionmaker, sent_to) if sent_to else None
    async with sessionmaker() as session:
        alert = Alert(
            case_code=case.code,
            case_id=case.id,
            own_coach_id=case.coach_id,
            text="moeder belt",
            reporter_id=case.coach_id or (taker or recipient).id,
            raised_at=RAISED,
            in_office_hours=True,
            chain=[],
            status=AlertStatus.TAKEN if taker else AlertStatus.OPEN,
            taken_by_id=taker.id if taker else None,
            taken_at=RAISED if taker else None,
        )
        session.add(alert)
        await session.flush()
        if recipient is not None:
            session.add(
                AlertRecipient(
                    alert_id=alert.id,
                    coach_id=recipient.id,
                    round=0,
                    step=0,
                    outbox_key=f"alert:{alert.id}:{recipient.id}",
                    created_at=RAISED,
                )
            )
        await session.commit()
