"""Escalation of a crisis alert: alerting the coaches of a step, moving on to the next step or
round, and giving up (the reporter and team leads told) at the end of the chain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import (
    Alert,
    AlertRecipient,
    AlertStatus,
    Coach,
    OutboxMessage,
    Role,
)
from bot.operations import metrics
from bot.scheduling import outbox
from bot.scheduling.outbox import enqueue
from bot.services.alerts.messages import ALERT_KIND, edit_shown
from bot.services.audit import trail as audit

# Plain INSERTs on the tables, not ORM objects: nothing reads these rows back as objects in
# the same session, and the ORM's unit of work cost more than the statement on the way to
# the first alert.
_RECIPIENTS = insert(AlertRecipient.metadata.tables[AlertRecipient.__tablename__])
# Every escalation tick runs alongside new alerts: built once.
_ALERTED = select(AlertRecipient.coach_id).where(
    AlertRecipient.alert_id == bindparam("alert_id"), AlertRecipient.round == bindparam("round")
)


async def _alerted_this_round(session: AsyncSession, alert: Alert) -> set[int]:
    # Every recipient is flushed when stored; flushing the alert's new step first would only
    # add an UPDATE that the step's own flush makes anyway.
    with session.no_autoflush:
        params = {"alert_id": alert.id, "round": alert.round}
        return set(await session.scalars(_ALERTED, params))


async def advance(session: AsyncSession, config: TeamConfig, alert: Alert, now: datetime) -> None:
    """Moves to the next step that alerts someone new this round, starting a new round or
    giving up at the end of the chain."""
    while True:
        alert.step += 1
        if alert.step >= len(alert.chain):
            if not config.alerts.repeat or alert.round + 1 >= config.alerts.max_rounds:
                await give_up(session, alert, now)
                return
            if not any(step["coach_ids"] for step in alert.chain):
                await give_up(session, alert, now)
                return
            alert.round += 1
            alert.step = 0
        step = alert.chain[alert.step]
        done = await _alerted_this_round(session, alert)
        new = [coach_id for coach_id in step["coach_ids"] if coach_id not in done]
        if new:
            await alert_step(session, alert, new, now)
            return


async def alert_step(
    session: AsyncSession,
    alert: Alert,
    new: list[int],
    now: datetime,
    claim: bool = False,
    also: Sequence[dict[str, Any]] = (),
) -> list[OutboxMessage]:
    """Alerts `new` at the alert's current step; returns the messages when `claim`ed, with
    `also` (further messages, stored in the same statement) after them."""
    step = alert.chain[alert.step]
    recipients, messages = [], []
    for coach_id in new:
        key = f"alert:{alert.id}:{alert.round}:{alert.step}:{coach_id}"
        recipients.append(
            {
                "alert_id": alert.id,
                "coach_id": coach_id,
                "round": alert.round,
                "step": alert.step,
                "outbox_key": key,
                "created_at": now,
            }
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
    await session.execute(_RECIPIENTS, recipients)
    if alert.round or alert.step:
        await audit.write(
            session,
            at=now,
            action="alert.escalated",
            outcome=step["to"],
            subject=alert.case_code,
            detail=f"alert {alert.id} round {alert.round + 1} step {alert.step + 1}",
        )
    stored = await outbox.enqueue_all(session, [*messages, *also], returning=claim)
    await session.flush()
    return stored


async def give_up(session: AsyncSession, alert: Alert, now: datetime) -> None:
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
