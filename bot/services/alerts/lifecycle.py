"""Crisis alerts: raising, escalating, taking and declining. No Telegram here: every message
goes through the outbox, stored in the same transaction as the state change that calls for
it, so a crash can lose neither the alert nor a step of its escalation."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import (
    ALERT_CRISIS,
    ALERT_SAFETY,
    Alert,
    AlertRecipient,
    AlertStatus,
    Case,
    Coach,
    OutboxMessage,
    OutboxStatus,
    Role,
)
from bot.operations import metrics
from bot.scheduling import outbox
from bot.scheduling.outbox import enqueue
from bot.services.alerts.routing import resolve
from bot.services.audit import trail as audit
from bot.services.cases import holders

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")
MAX_TEXT = 500
ALERT_KIND = "alert"
# Brings an alert message already shown up to date (bot/scheduling/alert_edits.py).
EDIT_KIND = "alert_edit"
# The reporter's "stored and on its way", sent through the outbox so a failure is retried.
RECEIPT_KIND = "alert_receipt"


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


# Built once: the statements on the way to the first alert message.
_FIND_CASE = select(Case).where(func.upper(Case.code) == bindparam("code"))
_ALERTED = select(AlertRecipient.coach_id).where(
    AlertRecipient.alert_id == bindparam("alert_id"), AlertRecipient.round == bindparam("round")
)
# And those of every escalation tick, which runs alongside new alerts.
_DUE = (
    select(Alert)
    .where(Alert.status == AlertStatus.OPEN, Alert.next_deadline <= bindparam("now"))
    .order_by(Alert.next_deadline)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)
_NEXT_DEADLINE = select(func.min(Alert.next_deadline)).where(Alert.status == AlertStatus.OPEN)


def valid_code(code: str) -> bool:
    return bool(CODE.match(code))


async def find_case(session: AsyncSession, code: str) -> Case | None:
    return await session.scalar(_FIND_CASE, {"code": code.upper()})


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
) -> Raised:
    """As raise_alert, but the first step's messages are stored already claimed, so the caller
    sends them right after committing instead of waiting for a dispatcher to claim them. A
    crash before they are settled leaves them 'sending', which start-up sends again."""
    return await _raise(
        session,
        config,
        reporter=reporter,
        code=code,
        text=text,
        now=now,
        written_at=written_at,
        claim=True,
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
        arrived_late=written_at is not None and now - written_at > config.alerts.late_after,
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
    audit.record(
        session,
        at=now,
        action="alert.raised",
        outcome="ok",
        actor=reporter,
        subject=alert.case_code,
        detail=f"alert {alert.id}" + ("" if case or safety else ", unknown code"),
    )
    metrics.alert_raised()
    loaded = [case, *resolved.coaches]
    if first is None:
        await _advance(session, config, alert, now)  # gives up at once
        return Raised(alert, [], loaded)
    claimed = await _alert_step(session, alert, chain[first]["coach_ids"], now, claim=claim)
    return Raised(alert, claimed, loaded)


async def _alerted_this_round(session: AsyncSession, alert: Alert) -> set[int]:
    # Every recipient is flushed when stored; flushing the alert's new step first would only
    # add an UPDATE that the step's own flush makes anyway.
    with session.no_autoflush:
        params = {"alert_id": alert.id, "round": alert.round}
        return set(await session.scalars(_ALERTED, params))


async def _advance(session: AsyncSession, config: TeamConfig, alert: Alert, now: datetime) -> None:
    """Moves to the next step that alerts someone new this round, starting a new round or
    giving up at the end of the chain."""
    while True:
        alert.step += 1
        if alert.step >= len(alert.chain):
            if not config.alerts.repeat or alert.round + 1 >= config.alerts.max_rounds:
                await _give_up(session, alert, now)
                return
            if not any(step["coach_ids"] for step in alert.chain):
                await _give_up(session, alert, now)
                return
            alert.round += 1
            alert.step = 0
        step = alert.chain[alert.step]
        done = await _alerted_this_round(session, alert)
        new = [coach_id for coach_id in step["coach_ids"] if coach_id not in done]
        if new:
            await _alert_step(session, alert, new, now)
            return


async def _alert_step(
    session: AsyncSession, alert: Alert, new: list[int], now: datetime, claim: bool = False
) -> list[OutboxMessage]:
    """Alerts `new` at the alert's current step; returns the messages when `claim`ed."""
    step = alert.chain[alert.step]
    messages = []
    for coach_id in new:
        key = f"alert:{alert.id}:{alert.round}:{alert.step}:{coach_id}"
        session.add(
            AlertRecipient(
                alert_id=alert.id,
                coach_id=coach_id,
                round=alert.round,
                step=alert.step,
                outbox_key=key,
                created_at=now,
            )
        )
        messages.append(
            outbox.message(
                key=key,
                kind=ALERT_KIND,
                coach_id=coach_id,
                due_at=now,
                now=now,
                payload={"alert_id": alert.id},
                claimed=claim,
            )
        )
    alert.next_deadline = now + timedelta(seconds=step["wait"])
    if alert.round or alert.step:
        audit.record(
            session,
            at=now,
            action="alert.escalated",
            outcome=step["to"],
            subject=alert.case_code,
            detail=f"alert {alert.id} round {alert.round + 1} step {alert.step + 1}",
        )
    # Storing the messages flushes the rows above first: one round trip each, in one go.
    stored = await outbox.enqueue_all(session, messages, returning=claim)
    await session.flush()
    return stored


async def _give_up(session: AsyncSession, alert: Alert, now: datetime) -> None:
    alert.status = AlertStatus.UNANSWERED
    alert.next_deadline = None
    audit.record(
        session,
        at=now,
        action="alert.unanswered",
        outcome="unanswered",
        subject=alert.case_code,
        detail=f"alert {alert.id}",
    )
    metrics.alert_unanswered()
    await edit_shown(session, alert.id, now)
    leads = await session.scalars(
        select(Coach.id).where(Coach.role == Role.TEAMLEAD, Coach.active.is_(True))
    )
    for coach_id in {alert.reporter_id, *leads}:
        await enqueue(
            session,
            key=f"alert-unanswered:{alert.id}:{coach_id}",
            kind="alert_unanswered",
            coach_id=coach_id,
            due_at=now,
            now=now,
            payload={"alert_id": alert.id},
        )
    await session.flush()


async def escalate_due(
    session: AsyncSession, config: TeamConfig, now: datetime, limit: int = 1000
) -> list[int]:
    """Escalates the open alerts whose step went unanswered, the most overdue first and at
    most `limit` of them; returns their ids. On PostgreSQL a second instance skips the alerts
    this one is escalating."""
    due = list(await session.scalars(_DUE, {"now": now, "limit": limit}))
    for alert in due:
        metrics.alert_escalated(alert.next_deadline, now)
        await _advance(session, config, alert, now)
    return [alert.id for alert in due]


async def next_deadline(session: AsyncSession) -> datetime | None:
    """When the next open alert escalates, if any does."""
    return await session.scalar(_NEXT_DEADLINE)


def edit_message(
    alert_id: int, shown_key: str, coach_id: int, now: datetime, why: str = "closed"
) -> dict[str, Any]:
    """An outbox row that brings the alert message stored under `shown_key` up to date. One
    per message and reason: the edit is worded when it is sent, from the state by then."""
    return outbox.message(
        key=f"alert-edit:{why}:{shown_key}",
        kind=EDIT_KIND,
        coach_id=coach_id,
        due_at=now,
        now=now,
        payload={"alert_id": alert_id, "of": shown_key},
    )


_SHOWN = select(OutboxMessage.key, AlertRecipient.coach_id).join(
    AlertRecipient, AlertRecipient.outbox_key == OutboxMessage.key
)


async def edit_shown(
    session: AsyncSession, alert_id: int, now: datetime, coach_id: int | None = None
) -> None:
    """Queues an edit for every message of the alert already sent (of one coach, if given).
    A message still on its way gets its edit from the dispatcher once it is sent: it reads
    the alert's state after marking the message sent, and the change calling for edits
    writes the alert before reading which messages were sent (see dispatcher)."""
    query = _SHOWN.where(
        AlertRecipient.alert_id == alert_id,
        OutboxMessage.status == OutboxStatus.SENT,
        OutboxMessage.message_id.is_not(None),
    )
    why = "closed"
    if coach_id is not None:
        query = query.where(AlertRecipient.coach_id == coach_id)
        why = "declined"
    rows = (await session.execute(query)).all()
    await outbox.enqueue_all(
        session, [edit_message(alert_id, key, coach, now, why) for key, coach in rows]
    )


async def shown(session: AsyncSession, alert_id: int) -> list[tuple[int, int, int]]:
    """The alert's messages on screen, as (chat id, message id, coach id)."""
    rows = await session.execute(
        select(OutboxMessage.message_id, Coach.telegram_user_id, Coach.id)
        .join(AlertRecipient, AlertRecipient.outbox_key == OutboxMessage.key)
        .join(Coach, Coach.id == AlertRecipient.coach_id)
        .where(
            AlertRecipient.alert_id == alert_id,
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.message_id.is_not(None),
        )
    )
    return [(chat, message, coach) for message, chat, coach in rows if chat is not None]


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
    if done.rowcount != 1:
        return False
    audit.record(session, at=now, action="alert.safe", outcome="safe", detail=f"alert {alert_id}")
    await session.flush()
    return True


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
    if claimed.rowcount != 1:
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
    current = alert is not None and (alert.round, alert.step) == (recipient.round, recipient.step)
    if not current or alert.status != AlertStatus.OPEN:
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
        await _advance(session, config, alert, now)
        return True
    return False
