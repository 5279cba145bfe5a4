"""Storing, claiming and settling outbox rows (bot/models/outbox.py). No Telegram here."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Alert, OutboxMessage, OutboxStatus
from bot.operations import instance, metrics

MAX_ATTEMPTS = 8
# Crisis alerts: retried fast and long, and resent after a crash (a family in crisis must not
# be lost to a crash; a second copy of an alert is the lesser harm).
# They never give up while Telegram only fails for a while (their renderers decide when they
# are no longer news), except after a day of failing. A coach on a home visit who did not check
# out is as urgent as a crisis (issue 22).
URGENT_KINDS = frozenset(
    {
        "alert",
        "alert_taken",
        "alert_unanswered",
        "alert_edit",
        "alert_receipt",
        "visit_reminder",
        "visit_last_call",
        "visit_alerted",
        # An alert message's copy on the second channel (e-mail, SMS; issue 21).
        "alert_fallback",
    }
)
URGENT_MAX_AGE = timedelta(days=1)


def backoff(attempts: int, urgent: bool = False) -> timedelta:
    """Wait before retry number `attempts`: 5 s, 10 s, 20 s … capped at 10 minutes; for urgent
    kinds 1 s, 2 s, 4 s … capped at 30 seconds."""
    if urgent:
        return timedelta(seconds=min(30, 2 ** max(0, attempts - 1)))
    return timedelta(seconds=min(600, 5 * 2 ** max(0, attempts - 1)))


def message(
    *,
    key: str,
    kind: str,
    due_at: datetime,
    now: datetime,
    coach_id: int | None = None,
    chat_id: int | None = None,
    payload: dict[str, Any] | None = None,
    claimed: bool = False,
) -> dict[str, Any]:
    """A message's row, for enqueue_all. A claimed message is stored as being sent, for the
    caller to send itself right after committing."""
    if (coach_id is None) == (chat_id is None):
        raise ValueError("give exactly one of coach_id and chat_id")
    return {
        "key": key,
        "kind": kind,
        "coach_id": coach_id,
        "chat_id": chat_id,
        "payload": payload or {},
        "due_at": due_at,
        "status": OutboxStatus.SENDING if claimed else OutboxStatus.PENDING,
        "attempts": 1 if claimed else 0,
        "created_at": now,
        "claimed_by": instance.ID if claimed else None,
        "claimed_until": now + instance.CLAIM_LEASE if claimed else None,
    }


# Built once per dialect: a crisis alert's first message is stored on the way to sending it.
# Against the table, the result has a rowcount; against the class, rows come back as objects.
_DIALECTS = (("postgresql", postgresql), ("sqlite", sqlite))
_INSERT = {
    name: dialect.insert(OutboxMessage.__table__).on_conflict_do_nothing(index_elements=["key"])
    for name, dialect in _DIALECTS
}
_RETURNING = {
    name: dialect.insert(OutboxMessage)
    .on_conflict_do_nothing(index_elements=["key"])
    .returning(OutboxMessage)
    for name, dialect in _DIALECTS
}


def _dialect(session: AsyncSession) -> str:
    return "postgresql" if session.get_bind().dialect.name == "postgresql" else "sqlite"


async def _insert(session: AsyncSession, params: Any) -> Any:
    # A statement on the table skips the ORM's autoflush; callers may rely on it.
    if session.autoflush:
        await session.flush()
    return await session.execute(_INSERT[_dialect(session)], params)


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    due_at: datetime,
    now: datetime,
    coach_id: int | None = None,
    chat_id: int | None = None,
    payload: dict[str, Any] | None = None,
    claimed: bool = False,
) -> bool:
    """Adds the message unless one with this key exists; True when it was new. Safe against a
    second planner doing the same at the same moment: the database decides."""
    row = message(
        key=key,
        kind=kind,
        due_at=due_at,
        now=now,
        coach_id=coach_id,
        chat_id=chat_id,
        payload=payload,
        claimed=claimed,
    )
    result = await _insert(session, row)
    return bool(result.rowcount)


async def enqueue_all(
    session: AsyncSession, messages: list[dict[str, Any]], returning: bool = False
) -> list[OutboxMessage]:
    """Adds the messages (built by `message`) in one statement, skipping keys that exist.
    With `returning`, the rows added, so that who stored them claimed can send them without
    reading them back."""
    if not messages:
        return []
    if returning:
        return list(await session.scalars(_RETURNING[_dialect(session)], messages))
    await _insert(session, messages)
    return []


# Crisis alerts first: a backlog of roster notices must not hold one up. Among them, in turns
# per reporter: each reporter's first waiting message, then each one's second, and so on, so
# one account's burst (or its retries under Telegram's flood control) does not hold up another
# reporter's alert. Roster notices have no reporter and share one queue.
_URGENT_FIRST = case((OutboxMessage.kind.in_(URGENT_KINDS), 0), else_=1)
_PENDING = OutboxMessage.status == OutboxStatus.PENDING
_DUE_NOW = and_(_PENDING, OutboxMessage.due_at <= bindparam("now"))
_ALERT_OF_ROW = Alert.id == OutboxMessage.payload["alert_id"].as_integer()
_TURNS = (
    select(
        OutboxMessage.id,
        func.row_number()
        .over(partition_by=Alert.reporter_id, order_by=(OutboxMessage.due_at, OutboxMessage.id))
        .label("turn"),
    )
    .outerjoin(Alert, _ALERT_OF_ROW)
    .where(_DUE_NOW)
    .subquery("turns")
)
_REPORTERS = select(Alert.id, Alert.reporter_id).where(
    Alert.id.in_(bindparam("ids", expanding=True))
)
# Picked once (materialised: PostgreSQL would otherwise re-run the limited pick while
# updating, and find more rows once the first ones are no longer pending).
_PICK = (
    select(OutboxMessage.id)
    .join(_TURNS, _TURNS.c.id == OutboxMessage.id)
    .where(_DUE_NOW)
    .order_by(_URGENT_FIRST, _TURNS.c.turn, OutboxMessage.due_at, OutboxMessage.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True, of=OutboxMessage)
    .cte("pick")
    .prefix_with("MATERIALIZED", dialect="postgresql")
)
# Whether anything is due at all: a read, which on SQLite needs no lock.
_ANY_DUE = (
    select(OutboxMessage.id).where(_PENDING, OutboxMessage.due_at <= bindparam("now")).limit(1)
)
_CLAIM = (
    update(OutboxMessage)
    .where(_PENDING, OutboxMessage.id.in_(select(_PICK.c.id)))
    .values(
        status=OutboxStatus.SENDING,
        attempts=OutboxMessage.attempts + 1,
        claimed_by=bindparam("owner"),
        claimed_until=bindparam("until"),
    )
    .returning(OutboxMessage)
    .execution_options(synchronize_session=False, populate_existing=True)
)


async def claim_due(session: AsyncSession, now: datetime, limit: int = 50) -> list[OutboxMessage]:
    """Marks due pending rows as being sent and returns them, crisis alerts first; commit
    before sending. On PostgreSQL rows another instance is claiming are skipped rather than
    waited for.

    One statement claims them all, and only rows still pending: SQLite ignores FOR UPDATE,
    so two dispatchers running at once (the /crisis handler and the alert tick) may both pick
    a row, and only one of them may send it.

    Nothing due is the usual answer (every dispatch ends by asking once more), and claiming is
    a write: on SQLite it would wait for, and hold up, the one write lock to find nothing."""
    if await session.scalar(_ANY_DUE, {"now": now}) is None:
        return []
    params = {"now": now, "limit": limit, "owner": instance.ID, "until": now + instance.CLAIM_LEASE}
    rows = list(await session.scalars(_CLAIM, params))
    return await _in_turns(session, rows)


async def _in_turns(session: AsyncSession, rows: list[OutboxMessage]) -> list[OutboxMessage]:
    """The pick's order again (RETURNING keeps none): urgent first, then in turns per
    reporter, the dispatcher sending them in this order."""
    alert_ids = {row.payload.get("alert_id") for row in rows} - {None}
    reporter: dict[int | None, int] = {}
    if alert_ids:
        found = await session.execute(_REPORTERS, {"ids": list(alert_ids)})
        reporter.update((alert_id, reporter_id) for alert_id, reporter_id in found)
    turns: dict[int | None, int] = {}
    ranked = []
    for row in sorted(rows, key=lambda r: (r.due_at, r.id)):
        source = reporter.get(row.payload.get("alert_id"))
        turns[source] = turns.get(source, 0) + 1
        ranked.append((row.kind not in URGENT_KINDS, turns[source], row.due_at, row.id, row))
    return [entry[-1] for entry in sorted(ranked, key=lambda e: e[:4])]


def mark_sent(row: OutboxMessage, now: datetime, message_id: int | None) -> None:
    row.status = OutboxStatus.SENT
    row.sent_at = now
    row.message_id = message_id


def mark_obsolete(row: OutboxMessage, reason: str) -> None:
    row.status = OutboxStatus.OBSOLETE
    row.last_error = reason


def mark_failed(row: OutboxMessage, error: str) -> None:
    metrics.outbox_failed(row.kind)
    row.status = OutboxStatus.FAILED
    row.last_error = error[:1000]


def retry_later(
    row: OutboxMessage, now: datetime, error: str, wait: timedelta | None = None
) -> None:
    """Back to pending after a transient failure (after `wait` when given), or failed: a
    roster notice after too many attempts, an urgent message after failing for a day."""
    urgent = row.kind in URGENT_KINDS
    if urgent and now - row.created_at >= URGENT_MAX_AGE:
        mark_failed(row, f"gave up after a day and {row.attempts} attempts: {error}")
        return
    if not urgent and row.attempts >= MAX_ATTEMPTS:
        mark_failed(row, f"gave up after {row.attempts} attempts: {error}")
        return
    row.status = OutboxStatus.PENDING
    row.last_error = error[:1000]
    row.due_at = now + (wait if wait is not None else backoff(row.attempts, urgent))


def throttled(row: OutboxMessage, now: datetime, error: str, wait: timedelta) -> None:
    """Telegram's flood control asked to wait: the message waits that long and the try does
    not count as a failed attempt (a burst elsewhere must not use up this message's tries)."""
    row.attempts = max(0, row.attempts - 1)
    retry_later(row, now, error, wait)
