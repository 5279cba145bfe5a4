"""What a new /crisis becomes before anything is sent: the reporter's receipt is stored with
the alert, in the same transaction, and goes out through the outbox, so once the alert is
stored the reporter hears so, however often Telegram fails, and is never asked to try again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Alert, Coach, OutboxMessage
from bot.scheduling import outbox
from bot.services.alerts import RECEIPT_KIND


async def store_receipt(
    session: AsyncSession, alert: Alert, reporter: Coach, text: str, ref: str, now: datetime
) -> list[OutboxMessage]:
    """The receipt, stored already claimed for the caller to send right after committing (a
    crash before then leaves it to be sent at start-up). `ref` names what the reporter sent
    (chat and message id), so that the same message never gets two receipts."""
    message = outbox.message(
        key=f"alert-receipt:{alert.id}:{ref}",
        kind=RECEIPT_KIND,
        coach_id=reporter.id,
        due_at=now,
        now=now,
        payload={"alert_id": alert.id, "parts": [text]},
        claimed=True,
    )
    return await outbox.enqueue_all(session, [message], returning=True)
