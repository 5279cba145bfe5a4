"""The durable inbox's storage: what came in, what is handled, what may go.

Plain functions on a session; the poll loop (bot/transport/poller.py) decides when to call them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import rowcount
from bot.models import InboxUpdate

# Replays after which an update that keeps being cut short (the process dying while it is
# handled) is given up rather than handled on every start.
MAX_REPLAYS = 3


async def store_batch(session: AsyncSession, updates: Sequence[dict], now: datetime) -> list[dict]:
    """Adds the updates not stored yet and returns those (the others were stored, and are being
    or were handled, before). One statement; the caller commits: one commit per batch."""
    if not updates:
        return []
    rows = [
        {
            "update_id": u["update_id"],
            "raw": json.dumps(u, ensure_ascii=False),
            "received_at": now,
            "replays": 0,
        }
        for u in updates
    ]
    # The same statement for any batch, so it is compiled once (a VALUES list per batch was
    # compiled anew every time, holding the event loop for a millisecond or two).
    # On the session's connection: a plain statement, no ORM bulk-insert bookkeeping.
    connection = await session.connection()
    fresh = set((await connection.execute(_STORE[_dialect(session)], rows)).scalars())
    return [u for u in updates if u["update_id"] in fresh]


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


# INSERT … ON CONFLICT DO NOTHING is spelled the same on both, but lives in each dialect.
_STORE = {
    name: dialect_insert(InboxUpdate)
    .on_conflict_do_nothing(index_elements=["update_id"])
    .returning(InboxUpdate.update_id)
    for name, dialect_insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}


async def next_offset(session: AsyncSession) -> int | None:
    """The getUpdates offset that confirms everything already stored."""
    newest = await session.scalar(select(func.max(InboxUpdate.update_id)))
    return None if newest is None else newest + 1


async def claim_unhandled(session: AsyncSession, now: datetime) -> tuple[list[dict], list[int]]:
    """Stored updates nobody finished handling, oldest first, counted as replayed once more;
    those replayed too often already are marked handled and their ids returned as given up."""
    rows = list(
        await session.scalars(
            select(InboxUpdate)
            .where(InboxUpdate.handled_at.is_(None))
            .order_by(InboxUpdate.update_id)
        )
    )
    again, given_up = [], []
    for row in rows:
        if row.replays >= MAX_REPLAYS:
            row.handled_at = now
            given_up.append(row.update_id)
        else:
            row.replays += 1
            again.append(json.loads(row.raw))
    return again, given_up


async def mark_handled(session: AsyncSession, update_ids: Iterable[int], now: datetime) -> None:
    """Marks updates handled (those whose handler wrote nothing; the others were marked with
    their work: bot/transport/handling.py)."""
    ids = list(update_ids)
    if ids:
        connection = await session.connection()
        await connection.execute(MARK_HANDLED, {"ids": ids, "at": now})


# Marking handled, here and with a handler's own commit (bot/transport/handling.py): the first
# mark stays.
MARK_HANDLED = (
    update(InboxUpdate)
    .where(
        InboxUpdate.update_id.in_(bindparam("ids", expanding=True)),
        InboxUpdate.handled_at.is_(None),
    )
    .values(handled_at=bindparam("at"))
)


async def prune(session: AsyncSession, now: datetime, retention: timedelta) -> int:
    """Deletes updates handled longer ago than the retention; the newest stays, so a restart
    still knows which offset confirms everything stored."""
    newest = select(func.max(InboxUpdate.update_id)).scalar_subquery()
    result = await session.execute(
        delete(InboxUpdate).where(
            InboxUpdate.handled_at < now - retention, InboxUpdate.update_id < newest
        )
    )
    return rowcount(result) or 0
