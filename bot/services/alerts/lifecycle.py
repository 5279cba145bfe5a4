"""Crisis alerts: raising, escalating when a step goes unanswered, taking and declining. No
Telegram here: every message goes through the outbox, stored in the same transaction as the
state change that calls for it, so a crash can lose neither the alert nor a step of its
escalation."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.db import rowcount
from bot.models import (
    ALERT_CRISIS,
    ALERT_SAFETY,
    Alert,
    AlertRecipient,
    AlertStatus,
    Coach,
    OutboxMessage,
    Role,
)
from bot.operations import metrics
from bot.scheduling.outbox import enqueue, enqueue_all
from bot.services.alerts.codes import MAX_TEXT, find_case
from bot.services.alerts.escalation import advance, alert_step
from bot.services.alerts.messages import edit_shown
from bot.services.alerts.routing import resolve
from bot.services.audit import trail as audit
from bot.services.cases import holders


class Outcome(enum.StrEnum):
    TAKEN = "taken"
    DECLINED = "declined"
    ALREADY_TAKEN = "already_taken"
    CLOSED = "closed"
    NOT_YOURS = "not_yours"
    UNKNOWN = "unknown"


@dataclass
class Answer:
    outcome: Outcome
    alert: Alert | None = None
    taken_by: Coach | None = None


# Built once: every escalation tick runs alongside new alerts.
_DUE = (
    select(Alert)
    .where(Alert.status == AlertStatus.OPEN, Alert.next_deadline <= bindparam("now"))
    .order_by(Alert.next_deadline)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)
_NEXT_DEADLINE = select(func.min(Alert.next_deadline)).where(Alert.status == AlertStatus.OPEN)


@dataclass
class Raised:
    alert: Alert
    # The first step's messages, already claimed for the caller to send.
    claimed: list[OutboxMessage]
    # What rendering them reads (case, coaches), held so that the session's identity map,
    # which keeps only referenced objects, still has it when they are sent.
    loaded: list[object] = field(default_factory=list)


async def raise_alert(
    session: AsyncSession,
    config: TeamConfig,
    *,
    reporter: Coach,
    code: str,
    text: str,
    now: datetime,
    written_at: datetime | None = None,
) -> Alert:
    """Stores the alert and its first step's messages for the dispatcher; the caller commits.
    `written_at`: when the reporter wrote it, if it came from their message."""
    raised = await _raise(
        session, config, reporter=reporter, code=code, text=text, now=now, written_at=written_at
    )
    return raised.alert


async def raise_and_claim(
    session: AsyncSession,
    config: TeamConfig,
    *,
    reporter: Coach,
    code: str,
    text: str,
    now: datetime,
    written_at: datetime | None = None,
    also: Callable[[Alert], list[dict[str, Any]]] | None = None,
) -> Raised:
    """As raise_alert, but the first step's messages are stored already claimed, so the caller
    sends them right after committing instead of waiting for a dispatcher to claim them. A
    crash before they are settled leaves them 'sending', which start-up sends again. `also`
    gives further claimed messages about the new alert (the reporter's receipt), stored in
    the same INSERT and returned after the step's."""
    return await _raise(
        session,
        config,
        reporter=reporter,
        code=code,
        text=text,
        now=now,
        written_at=written_at,
        claim=True,
        also=also,
    )


async def raise_safety(
    session: AsyncSession,
    config: TeamConfig,
    *,
    coach: Coach,
    code: str,
    text: str,
    now: datetime,
    claim: bool = False,
) -> Raised:
    """A safety alert for a coach on a home visit (no check-out, or SOS): the coach on duty
    first (bureaudienst in office hours, piket after), then the chain, never the coach in
    danger. Taken, declined and escalated like any alert; the caller commits."""
    return await _raise(
        session, config, reporter=coach, code=code, text=text, now=now, claim=claim, safety=True
    )


async def _raise(
    session: AsyncSession,
    config: TeamConfig,
    *,
    reporter: Coach,
    code: str,
    text: str,
    now: datetime,
    written_at: datetime | None = None,
    claim: bool = False,
    safety: bool = False,
    also: Callable[[Alert], list[dict[str, Any]]] | None = None,
) -> Raised:
    # A safety alert is about the coach, not the family: no own coach comes first.
    case = None if safety else await find_case(session, code)
    backup = case.backup_coach_id if case else None
    resolved = await resolve(session, config, case, now, also=(reporter.id, backup))
    chain = resolved.chain
    if safety:
        chain = [{**s, "coach_ids": [c for c in s["coach_ids"] if c != reporter.id]} for s in chain]
    alert = Alert(
        kind=ALERT_SAFETY if safety else ALERT_CRISIS,
        case_code=case.code if case else code.upper(),
        case_id=case.id if case else None,
        own_coach_id=case.coach_id if case else None,
        text=text[:MAX_TEXT],
        reporter_id=reporter.id,
        raised_at=now,
        written_at=written_at,
        arrived_late=config.alerts.arrived_late(written_at, now),
        in_office_hours=resolved.office,
        chain=chain,
        status=AlertStatus.OPEN,
        round=0,
        step=-1,
    )
    # Nobody has been alerted yet, so the first step is the first with anyone in it; set
    # before the insert, it needs no update after it.
    first = next((i for i, step in enumerate(chain) if step["coach_ids"]), None)
    if first is not None:
        alert.step = first
        alert.next_deadline = now + timedelta(seconds=chain[first]["wait"])
    session.add(alert)
    await session.flush()
    await audit.write(
        session,
        at=now,
        action="alert.raised",
        outcome="ok",
        actor=reporter,
        subject=alert.case_code,
        detail=f"alert {alert.id}" + ("" if case or safety else ", unknown code"),
    )
    metrics.alert_raised()
    loaded: list[object] = [case, *resolved.coaches]
    extra = also(alert) if also else []
    if first is None:
        await advance(session, config, alert, now)  # gives up at once
        return Raised(alert, await enqueue_all(session, extra, returning=True), loaded)
    step_ids = chain[first]["coach_ids"]
    claimed = await alert_step(session, alert, step_ids, now, claim=claim, also=extra)
    return Raised(alert, claimed, loaded)


async def escalate_due(
    session: AsyncSession, config: TeamConfig, now: datetime, limit: int = 1000
) -> list[int]:
    """Escalates the open alerts whose step went unanswered, the most overdue first and at
    most `limit` of them; returns their ids. On PostgreSQL a second instance skips the alerts
    this one is escalating."""
    due = list(await session.scalars(_DUE, {"now": now, "limit": limit}))
    for alert in due:
        metrics.alert_escalated(alert.next_deadline, now)
        await advance(session, config, alert, now)
    return [alert.id for alert in due]


async def next_deadline(session: AsyncSession) -> datetime | None:
    """When the next open alert escalates, if any does."""
    return await session.scalar(_NEXT_DEADLINE)


async def _may_answer(session: AsyncSession, alert: Alert, coach: Coach) -> bool:
    if not holders.may_hold(coach):
        return False  # whoever takes an alert holds the family's card
    if coach.role == Role.TEAMLEAD:
        return True
    found = await session.scalar(
        select(AlertRecipient.id).where(
            AlertRecipient.alert_id == alert.id, AlertRecipient.coach_id == coach.id
        )
    )
    return found is not None


async def take(session: AsyncSession, alert_id: int, coach: Coach, now: datetime) -> Answer:
    """The first to take an open alert gets it: one conditional update decides."""
    alert = await session.get(Alert, alert_id)
    if alert is None:
        return Answer(Outcome.UNKNOWN)
    if not await _may_answer(session, alert, coach):
        return Answer(Outcome.NOT_YOURS, alert)
    claimed = await session.execute(
        update(Alert)
        .where(Alert.id == alert_id, Alert.status == AlertStatus.OPEN)
        .values(status=AlertStatus.TAKEN, taken_by_id=coach.id, taken_at=now, next_deadline=None)
    )
    await session.refresh(alert)
    if rowcount(claimed) != 1:
        taker = await session.get(Coach, alert.taken_by_id) if alert.taken_by_id else None
        outcome = Outcome.ALREADY_TAKEN if taker is not None else Outcome.CLOSED
        return Answer(outcome, alert, taker)
    audit.record(
        session,
        at=now,
        action="alert.taken",
        outcome="taken",
        actor=coach,
        subject=alert.case_code,
        detail=f"alert {alert.id}",
    )
    metrics.alert_taken(alert.raised_at, now)
    if alert.reporter_id != coach.id:
        await enqueue(
            session,
            key=f"alert-taken:{alert.id}",
            kind="alert_taken",
            coach_id=alert.reporter_id,
            due_at=now,
            now=now,
            payload={"alert_id": alert.id},
        )
    await edit_shown(session, alert.id, now)
    await session.flush()
    return Answer(Outcome.TAKEN, alert, coach)


async def decline(
    session: AsyncSession, config: TeamConfig, alert_id: int, coach: Coach, now: datetime
) -> Answer:
    """'Can't': when everyone alerted at the current step has said so, escalate at once."""
    alert = await session.get(Alert, alert_id, with_for_update=True)
    if alert is None:
        return Answer(Outcome.UNKNOWN)
    if alert.status != AlertStatus.OPEN:
        taker = await session.get(Coach, alert.taken_by_id) if alert.taken_by_id else None
        return Answer(Outcome.ALREADY_TAKEN if taker else Outcome.CLOSED, alert, taker)
    mine = list(
        await session.scalars(
            select(AlertRecipient).where(
                AlertRecipient.alert_id == alert.id, AlertRecipient.coach_id == coach.id
            )
        )
    )
    if not mine:
        return Answer(Outcome.NOT_YOURS, alert)
    for recipient in mine:
        recipient.declined_at = recipient.declined_at or now
    await session.flush()
    await edit_shown(session, alert.id, now, coach_id=coach.id)
    audit.record(
        session,
        at=now,
        action="alert.declined",
        outcome="declined",
        actor=coach,
        subject=alert.case_code,
        detail=f"alert {alert.id}",
    )
    await session.flush()
    await _escalate_if_nobody_left(session, config, alert, now)
    return Answer(Outcome.DECLINED, alert)


async def recipient_unreachable(
    session: AsyncSession, config: TeamConfig, outbox_key: str, now: datetime
) -> bool:
    """Telegram refused an alert message for good (the coach blocked the bot or never started
    it): counts as 'can't', so the alert does not wait out the step for someone who cannot
    see it. True when the alert escalated."""
    recipient = await session.scalar(
        select(AlertRecipient).where(AlertRecipient.outbox_key == outbox_key)
    )
    if recipient is None:
        return False
    alert = await session.get(Alert, recipient.alert_id, with_for_update=True)
    if alert is None or (alert.round, alert.step) != (recipient.round, recipient.step):
        return False
    if alert.status != AlertStatus.OPEN:
        return False
    recipient.declined_at = recipient.declined_at or now
    audit.record(
        session,
        at=now,
        action="alert.unreachable",
        outcome="unreachable",
        actor=await session.get(Coach, recipient.coach_id),
        subject=alert.case_code,
        detail=f"alert {alert.id}",
    )
    await session.flush()
    return await _escalate_if_nobody_left(session, config, alert, now)


async def _escalate_if_nobody_left(
    session: AsyncSession, config: TeamConfig, alert: Alert, now: datetime
) -> bool:
    current = list(
        await session.scalars(
            select(AlertRecipient).where(
                AlertRecipient.alert_id == alert.id,
                AlertRecipient.round == alert.round,
                AlertRecipient.step == alert.step,
            )
        )
    )
    if all(r.declined_at is not None for r in current):
        await advance(session, config, alert, now)
        return True
    return False
