"""An alert's messages: the outbox kinds they go out as, which are on screen, and the edits
that bring them up to date with the alert's state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    AlertRecipient,
    Coach,
    OutboxMessage,
    OutboxStatus,
)
from bot.scheduling import outbox

ALERT_KIND = "alert"
# Brings an alert message already shown up to date (bot/scheduling/alert_edits.py).
EDIT_KIND = "alert_edit"
# The reporter's "stored and on its way", sent through the outbox so a failure is retried.
RECEIPT_KIND = "alert_receipt"


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
    return [
        (chat, message, coach)
        for message, chat, coach in rows
        if chat is not None and message is not None
    ]
