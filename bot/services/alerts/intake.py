"""What a new /crisis becomes before anything is sent.

Flood control without loss: a reporter repeating a crisis for a family whose alert from them
is still open joins that alert (nobody is alerted twice), and one reporter raises at most
`alerts.max_new_per_minute` new alerts a minute; the rest of the team's alerts are then not
held up behind one account's burst. The reporter's receipt is stored with the alert, in the
same transaction (the same INSERT as the first step's messages), and goes out through the
outbox: once the alert is stored the reporter hears so, however often Telegram fails, and is
never asked to try again. It is worded when it is sent, after the first alert (close codes
for an unknown one are looked up then: bot/scheduling/alert_edits.py)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import Alert, AlertStatus, Coach, OutboxMessage
from bot.scheduling import outbox
from bot.services.alerts.lifecycle import raise_and_claim
from bot.services.alerts.messages import ALERT_KIND, RECEIPT_KIND
from bot.services.audit import trail as audit

_MINUTE = timedelta(minutes=1)
# One look serves both rules: how many alerts the reporter raised in the last minute (the
# ceiling) and their open alert for this family within the join window, if any. A round trip
# less on the way to the first alert, and one row back however many alerts the reporter has
# raised lately. CASE inside the aggregates rather than FILTER, which SQLite before 3.30 (the
# system library of some long-term-support distributions) does not know.
_RECENT_OF_REPORTER = select(
    func.coalesce(func.sum(case((Alert.raised_at > bindparam("minute_since"), 1), else_=0)), 0),
    func.max(
        case(
            (
                and_(
                    Alert.status == AlertStatus.OPEN,
                    func.upper(Alert.case_code) == bindparam("code"),
                    Alert.raised_at >= bindparam("join_since"),
                ),
                Alert.id,
            )
        )
    ),
).where(Alert.reporter_id == bindparam("reporter"), Alert.raised_at >= bindparam("since"))


class Taken(enum.StrEnum):
    NEW = "new"
    JOINED = "joined"  # the reporter's own open alert for this family
    REFUSED = "refused"  # over the reporter's ceiling of new alerts a minute


@dataclass(frozen=True)
class Sent:
    """What the reporter sent, for their receipt: `ref` names the message (chat and message
    id), so that the same message never gets two receipts; `length` is the text's length as
    sent, so that the receipt can say where an over-long text was cut."""

    ref: str
    length: int


@dataclass
class Intake:
    result: Taken
    alert: Alert | None = None
    # A new alert's first step, stored claimed, and what rendering it reads (see Raised).
    claimed: list[OutboxMessage] = field(default_factory=list)
    loaded: list[object] = field(default_factory=list)
    # The reporter's receipt, stored claimed, to be sent after the first step.
    receipts: list[OutboxMessage] = field(default_factory=list)


async def take_in(
    session: AsyncSession,
    config: TeamConfig,
    *,
    reporter: Coach,
    code: str,
    text: str,
    now: datetime,
    written_at: datetime | None = None,
    sent: Sent | None = None,
) -> Intake:
    """Joins, refuses or raises (see the module); the caller commits (a refusal is audited).
    With `sent`, the reporter's receipt is stored too, claimed for the caller to send."""
    join_since, minute_since = now - config.alerts.join_window, now - _MINUTE
    wanted = code.upper()
    in_last_minute, open_id = (
        await session.execute(
            _RECENT_OF_REPORTER,
            {
                "reporter": reporter.id,
                "since": min(join_since, minute_since),
                "minute_since": minute_since,
                "join_since": join_since,
                "code": wanted,
            },
        )
    ).one()
    joined = await session.get(Alert, open_id) if open_id is not None else None
    if joined is not None:
        _record(session, reporter, joined.case_code, now, "alert.joined", f"alert {joined.id}")
        wording = [_receipt(joined, reporter, sent, now, joined=True)] if sent else []
        stored = await outbox.enqueue_all(session, wording, returning=True)
        return Intake(Taken.JOINED, joined, receipts=stored)
    if in_last_minute >= config.alerts.max_new_per_minute:
        _record(session, reporter, wanted, now, "alert.refused", "over the ceiling")
        return Intake(Taken.REFUSED)
    raised = await raise_and_claim(
        session,
        config,
        reporter=reporter,
        code=code,
        text=text,
        now=now,
        written_at=written_at,
        # In the same INSERT as the first step's messages: one round trip less before it.
        also=lambda alert: [_receipt(alert, reporter, sent, now, joined=False)] if sent else [],
    )
    steps = [row for row in raised.claimed if row.kind == ALERT_KIND]
    receipts = [row for row in raised.claimed if row.kind == RECEIPT_KIND]
    return Intake(Taken.NEW, raised.alert, steps, raised.loaded, receipts)


def _record(
    session: AsyncSession, reporter: Coach, code: str, now: datetime, action: str, detail: str
) -> None:
    audit.record(
        session, at=now, action=action, outcome="flood", actor=reporter, subject=code, detail=detail
    )


def _receipt(
    alert: Alert, reporter: Coach, sent: Sent, now: datetime, *, joined: bool
) -> dict[str, Any]:
    """The receipt's row, claimed for the caller to send right after committing (a crash
    before then leaves it to be sent at start-up)."""
    return outbox.message(
        key=f"alert-receipt:{alert.id}:{sent.ref}",
        kind=RECEIPT_KIND,
        coach_id=reporter.id,
        due_at=now,
        now=now,
        payload={
            "alert_id": alert.id,
            "joined": joined,
            "length": sent.length,
        },
        claimed=True,
    )
