"""Taking back outbox rows left 'sending' by an instance that is gone.

A claimed row may or may not have reached Telegram, which has no way to ask. Crisis alerts
are sent again (a second copy is the lesser harm); roster notices are marked failed (a
possible duplicate is worse than a possible loss). Only rows whose owner is gone are touched,
never what a live instance still has in flight: on PostgreSQL an owner is alive while it
holds its instance lock (bot/operations/leadership.py) and its claim is honoured for the
lease besides, in case it lost its connection in the middle of a send; on SQLite only one
instance runs, so every owner but this process is gone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import OutboxMessage, OutboxStatus
from bot.operations import instance, metrics
from bot.scheduling.outbox import URGENT_KINDS


@dataclass
class Recovered:
    resent: int = 0
    failed: int = 0


async def owner_alive(session: AsyncSession, owner: str) -> bool:
    if owner == instance.ID:
        return True
    if session.get_bind().dialect.name != "postgresql":
        return False
    # Free (and taken for this transaction only) when no live session holds it.
    free = await session.scalar(select(func.pg_try_advisory_xact_lock(instance.lock_key(owner))))
    return not free


async def recover_gone(session: AsyncSession, now: datetime) -> Recovered:
    """Takes back the rows of instances that are gone; the caller commits."""
    postgres = session.get_bind().dialect.name == "postgresql"
    rows = await session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.claimed_by,
            OutboxMessage.claimed_until,
        ).where(OutboxMessage.status == OutboxStatus.SENDING)
    )
    alive: dict[str, bool] = {}
    resend: list[int] = []
    fail: list[tuple[int, str]] = []
    for row_id, kind, owner, until in rows:
        if owner is not None:
            if owner not in alive:
                alive[owner] = await owner_alive(session, owner)
            if alive[owner] or (postgres and until is not None and until > now):
                continue
        if kind in URGENT_KINDS:
            resend.append(row_id)
        else:
            fail.append((row_id, kind))
    return await _take_back(session, resend, fail)


async def release_own(session: AsyncSession) -> Recovered:
    """At shutdown, after the sends finished: whatever of this instance is still 'sending'
    was cut off, and is handed back the same way."""
    rows = await session.execute(
        select(OutboxMessage.id, OutboxMessage.kind).where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_by == instance.ID,
        )
    )
    resend: list[int] = []
    fail: list[tuple[int, str]] = []
    for row_id, kind in rows:
        if kind in URGENT_KINDS:
            resend.append(row_id)
        else:
            fail.append((row_id, kind))
    return await _take_back(session, resend, fail)


async def _take_back(
    session: AsyncSession, resend: list[int], fail: list[tuple[int, str]]
) -> Recovered:
    sending = OutboxMessage.status == OutboxStatus.SENDING
    if resend:
        await session.execute(
            update(OutboxMessage)
            .where(sending, OutboxMessage.id.in_(resend))
            .values(status=OutboxStatus.PENDING, claimed_by=None, claimed_until=None)
        )
    if fail:
        for _, kind in fail:
            metrics.outbox_failed(kind)
        await session.execute(
            update(OutboxMessage)
            .where(sending, OutboxMessage.id.in_([row_id for row_id, _ in fail]))
            .values(status=OutboxStatus.FAILED, last_error="interrupted while sending")
        )
    return Recovered(resent=len(resend), failed=len(fail))
