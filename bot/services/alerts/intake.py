"""What a new /crisis becomes before anything is sent.

Flood control without loss: a reporter repeating a crisis for a family whose alert from them
is still open joins that alert (nobody is alerted twice), and one reporter raises at most
`alerts.max_new_per_minute` new alerts a minute; the rest of the team's alerts are then not
held up behind one account's burst. The reporter's receipt is stored with the alert, in the
same transaction, and goes out through the outbox: once the alert is stored the reporter
hears so, however often Telegram fails, and is never asked to try again."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import Alert, AlertStatus, Coach, OutboxMessage
from bot.scheduling import outbox
from bot.services.alerts.lifecycle import raise_and_claim
from bot.services.alerts.messages import RECEIPT_KIND
from bot.services.audit import trail as audit

_MINUTE = timedelta(minutes=1)
_OPEN_OF_REPORTER = (
    select(Alert)
    .where(
        Alert.reporter_id == bindparam("reporter"),
        Alert.status == AlertStatus.OPEN,
        func.upper(Alert.case_code) == bindparam("code"),
        Alert.raised_at >= bindparam("since"),
    )
    .order_by(Alert.raised_at.desc(), Alert.id.desc())
    .limit(1)
)
_RAISED_SINCE = select(func.count(Alert.id)).where(
    Alert.reporter_id == bindparam("reporter"), Alert.raised_at > bindparam("since")
)


class Taken(enum.StrEnum):
    NEW = "new"
    JOINED = "joined"  # the reporter's own open alert for this family
    REFUSED = "refused"  # over the reporter's ceiling of new alerts a minute


@dataclass
class Intake:
    result: Taken
    alert: Alert | None = None
    # A new alert's first step, stored claimed, and what rendering it reads (see Raised).
    claimed: list[OutboxMessage] = field(default_factory=list)
    loaded: list[object] = field(default_factory=list)


async def take_in(
    session: AsyncSession,
    config: TeamConfig,
    *,
    reporter: Coach,
    code: str,
    text: str,
    now: datetime,
    written_at: datetime | None = None,
) -> Intake:
    """Joins, refuses or raises (see the module); the caller commits (a refusal is audited)."""
    params = {"reporter": reporter.id, "code": code.upper()}
    since = now - config.alerts.join_window
    joined = await session.scalar(_OPEN_OF_REPORTER, {**params, "since": since})
    if joined is not None:
        _record(session, reporter, joined.case_code, now, "alert.joined", f"alert {joined.id}")
        return Intake(Taken.JOINED, joined)
    recent = await session.scalar(_RAISED_SINCE, {"reporter": reporter.id, "since": now - _MINUTE})
    if (recent or 0) >= config.alerts.max_new_per_minute:
        _record(session, reporter, code.upper(), now, "alert.refused", "over the ceiling")
        return Intake(Taken.REFUSED)
    raised = await raise_and_claim(
        session, config, reporter=reporter, code=code, text=text, now=now, written_at=written_at
    )
    return Intake(Taken.NEW, raised.alert, raised.claimed, raised.loaded)


def _record(
    session: AsyncSession, reporter: Coach, code: str, now: datetime, action: str, detail: str
) -> None:
    audit.record(
        session, at=now, action=action, outcome="flood", actor=reporter, subject=code, detail=detail
    )


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
