"""Recovery takes back only what an instance that is gone left 'sending': never a send a live
instance (this one, or on PostgreSQL another that still holds its instance lock) has in
flight, and on PostgreSQL not before the claim's lease ran out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.pool import NullPool

from bot.db import make_engine
from bot.models import OutboxMessage, OutboxStatus
from bot.operations import instance
from bot.operations.recovery import recover_gone, release_own
from bot.scheduling import outbox

OTHER = "other-host/4242/deadbeef"


async def claimed_row(session, key: str, kind: str, owner: str | None, until) -> None:
    at = until or datetime(2026, 11, 23, tzinfo=UTC)
    await outbox.enqueue(session, key=key, kind=kind, chat_id=1, due_at=at, now=at)
    row = await session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    row.status = OutboxStatus.SENDING
    row.attempts = 1
    row.claimed_by = owner
    row.claimed_until = until


async def states(session) -> dict[str, OutboxStatus]:
    session.expire_all()
    rows = await session.scalars(select(OutboxMessage))
    return {r.key: r.status for r in rows}


async def test_own_sends_in_flight_are_left_alone_and_a_gone_owners_are_taken_back(
    session, clock, database_url
):
    now = clock.now()
    past = now - timedelta(minutes=1)
    await claimed_row(session, "mine", "alert", instance.ID, past)
    await claimed_row(session, "gone-alert", "alert", OTHER, past)
    await claimed_row(session, "gone-notice", "handover", OTHER, past)
    await claimed_row(session, "unowned", "alert", None, None)  # claimed before owners existed
    await session.commit()

    recovered = await recover_gone(session, now)
    await session.commit()

    assert (recovered.resent, recovered.failed) == (2, 1)
    assert await states(session) == {
        "mine": OutboxStatus.SENDING,
        "gone-alert": OutboxStatus.PENDING,  # crisis alerts are sent again
        "gone-notice": OutboxStatus.FAILED,  # a possible duplicate notice is worse than none
        "unowned": OutboxStatus.PENDING,
    }

    # At shutdown this instance hands back its own.
    released = await release_own(session)
    await session.commit()
    assert released.resent == 1
    assert (await states(session))["mine"] == OutboxStatus.PENDING


async def test_on_postgresql_a_live_instance_keeps_its_claims(session, clock, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("on SQLite only one instance runs")
    now = clock.now()
    await claimed_row(session, "live", "alert", OTHER, now - timedelta(minutes=1))
    await claimed_row(session, "in-lease", "alert", "third/1/cafe", now + timedelta(seconds=5))
    await session.commit()

    # The other instance, alive: it holds its instance lock on a connection of its own.
    other = make_engine(database_url, poolclass=NullPool)  # closing closes
    try:
        async with other.connect() as conn:
            await conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": instance.lock_key(OTHER)})
            await conn.commit()
            assert (await recover_gone(session, now)).resent == 0
            await session.commit()
            assert await states(session) == {
                "live": OutboxStatus.SENDING,
                "in-lease": OutboxStatus.SENDING,
            }
        # Its connection closed (the process died): its claim is taken back. The third
        # instance is gone too, but its lease still stands.
        assert (await recover_gone(session, now)).resent == 1
        await session.commit()
        assert await states(session) == {
            "live": OutboxStatus.PENDING,
            "in-lease": OutboxStatus.SENDING,
        }
        assert (await recover_gone(session, now + timedelta(seconds=6))).resent == 1
        await session.commit()
        assert (await states(session))["in-lease"] == OutboxStatus.PENDING
    finally:
        await other.dispose()
