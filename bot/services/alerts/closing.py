"""Closing crisis alerts: the taker's reminder, resolving with an outcome and a note, the own
coach's summary afterwards, and the list of alerts still running. No Telegram here: messages
go through the outbox in the same transaction as the change that calls for them."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.db import rowcount
from bot.i18n import N_
from bot.models import ALERT_SAFETY, Alert, AlertStatus, Coach
from bot.scheduling.outbox import enqueue
from bot.services.audit import trail as audit
from bot.services.rosters.core import is_active, is_office_day

MAX_NOTE = 300
REMINDER_KIND = "alert_resolve_reminder"
SUMMARY_KIND = "alert_summary"

# Outcome code (stored, max 30 characters) → label msgid, in the order the buttons show.
OUTCOMES: dict[str, str] = {
    "phone": N_("Handled by phone"),
    "home_visit": N_("Home visit"),
    "police": N_("Police involved"),
    "veilig_thuis": N_("Veilig Thuis or crisis service involved"),
    "other": N_("Other"),
}


class Closed(enum.StrEnum):
    RESOLVED = "resolved"
    NOT_YOURS = "not_yours"  # taken by someone else, or never taken
    NOT_TAKEN = "not_taken"  # already resolved, or no longer taken
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Resolution:
    result: Closed
    alert: Alert | None = None


def reminder_key(alert_id: int) -> str:
    return f"alert-resolve-reminder:{alert_id}"


def summary_key(alert_id: int) -> str:
    return f"alert-summary:{alert_id}"


async def plan_reminder(session: AsyncSession, config: TeamConfig, alert: Alert) -> bool:
    """After a take: remind the taker if the alert is still unresolved after
    `alerts.resolve_reminder_after`. True when newly planned."""
    if alert.status != AlertStatus.TAKEN or alert.taken_by_id is None or alert.taken_at is None:
        return False
    return await enqueue(
        session,
        key=reminder_key(alert.id),
        kind=REMINDER_KIND,
        coach_id=alert.taken_by_id,
        due_at=alert.taken_at + config.alerts.resolve_reminder_after,
        now=alert.taken_at,
        payload={"alert_id": alert.id},
    )


def clean_note(text: str) -> str:
    """One line: runs of whitespace (newlines too) become one space."""
    return " ".join(text.split())


def note_fits(note: str) -> bool:
    return 0 < len(note) <= MAX_NOTE


async def taken_unresolved(session: AsyncSession, coach: Coach) -> list[Alert]:
    """The alerts this coach took and has not resolved yet, newest first."""
    return list(
        await session.scalars(
            select(Alert)
            .where(Alert.status == AlertStatus.TAKEN, Alert.taken_by_id == coach.id)
            .order_by(Alert.raised_at.desc(), Alert.id.desc())
        )
    )


def summary_due(config: TeamConfig, now: datetime) -> datetime:
    """Now during office hours, else the start of the next office day."""
    if is_active(config, "bureaudienst", now):
        return now
    tz = config.tz
    office = config.duties.office_hours
    day = now.astimezone(tz).date()
    for _ in range(400):
        start = datetime.combine(day, office.start, tzinfo=tz).astimezone(UTC)
        if start > now and is_office_day(config.duties, day):
            return start
        day += timedelta(days=1)
    return now  # no office day within a year: better now than never


async def resolve(
    session: AsyncSession,
    config: TeamConfig,
    alert_id: int,
    coach: Coach,
    *,
    outcome: str,
    note: str,
    now: datetime,
) -> Resolution:
    """Only the coach who took the alert resolves it, once; one conditional update decides.
    The caller has checked the outcome is known and the note fits."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    note = clean_note(note)[:MAX_NOTE]
    alert = await session.get(Alert, alert_id)
    if alert is None:
        return Resolution(Closed.UNKNOWN)
    if alert.taken_by_id != coach.id:
        return Resolution(Closed.NOT_YOURS, alert)
    done = await session.execute(
        update(Alert)
        .where(
            Alert.id == alert_id,
            Alert.status == AlertStatus.TAKEN,
            Alert.taken_by_id == coach.id,
        )
        .values(status=AlertStatus.RESOLVED, resolved_at=now, outcome=outcome, note=note)
    )
    await session.refresh(alert)
    if rowcount(done) != 1:
        return Resolution(Closed.NOT_TAKEN, alert)
    audit.record(
        session,
        at=now,
        action="alert.resolved",
        outcome=outcome,
        actor=coach,
        subject=alert.case_code,
        detail=f"alert {alert.id}",
    )
    if alert.own_coach_id is not None and alert.own_coach_id != coach.id:
        await enqueue(
            session,
            key=summary_key(alert.id),
            kind=SUMMARY_KIND,
            coach_id=alert.own_coach_id,
            due_at=summary_due(config, now),
            now=now,
            payload={"alert_id": alert.id},
        )
    await session.flush()
    return Resolution(Closed.RESOLVED, alert)


@dataclass(frozen=True)
class Running:
    """One alert on the /alerts list."""

    alert: Alert
    taken_by: str | None  # name of who has it
    step_to: str | None  # open: the chain step it is at ("first", "on_duty", ...)
    step: int  # 1-based
    steps: int
    round: int  # 1-based


async def running(session: AsyncSession) -> list[Running]:
    """Open and taken-unresolved alerts, newest first."""
    alerts = list(
        await session.scalars(
            select(Alert)
            .where(Alert.status.in_([AlertStatus.OPEN, AlertStatus.TAKEN]))
            .order_by(Alert.raised_at.desc(), Alert.id.desc())
        )
    )
    out: list[Running] = []
    for alert in alerts:
        taker = await session.get(Coach, alert.taken_by_id) if alert.taken_by_id else None
        step_to = None
        if alert.status == AlertStatus.OPEN and 0 <= alert.step < len(alert.chain):
            step_to = alert.chain[alert.step]["to"]
        out.append(
            Running(
                alert=alert,
                taken_by=taker.name if taker else None,
                step_to=step_to,
                step=max(alert.step, 0) + 1,
                steps=len(alert.chain),
                round=alert.round + 1,
            )
        )
    return out


async def end_safety(session: AsyncSession, alert_id: int, now: datetime) -> bool:
    """The coach of a safety alert is safely back: the alert closes whatever state it is in
    (open, taken or unanswered). True when this call closed it."""
    done = await session.execute(
        update(Alert)
        .where(
            Alert.id == alert_id,
            Alert.kind == ALERT_SAFETY,
            Alert.status.in_([AlertStatus.OPEN, AlertStatus.TAKEN, AlertStatus.UNANSWERED]),
        )
        .values(status=AlertStatus.RESOLVED, resolved_at=now, outcome="safe", next_deadline=None)
    )
    if rowcount(done) != 1:
        return False
    audit.record(session, at=now, action="alert.safe", outcome="safe", detail=f"alert {alert_id}")
    await session.flush()
    return True
