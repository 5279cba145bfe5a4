"""The durable inbox's storage: each update once, replays counted, old handled ones pruned."""

from datetime import timedelta

from sqlalchemy import select

from bot.models import InboxUpdate
from bot.transport import inbox_store as inbox


def update(update_id: int) -> dict:
    return {"update_id": update_id, "message": {"message_id": update_id, "text": "/crisis"}}


async def test_an_update_stored_before_is_not_stored_again(session, clock):
    assert await inbox.next_offset(session) is None
    assert await inbox.store_batch(session, [update(10), update(11)], clock.now()) == [
        update(10),
        update(11),
    ]
    await session.commit()
    assert await inbox.store_batch(session, [update(11), update(12)], clock.now()) == [update(12)]
    await session.commit()
    assert await inbox.next_offset(session) == 13
    assert list(
        await session.scalars(select(InboxUpdate.update_id).order_by(InboxUpdate.update_id))
    ) == [10, 11, 12]


async def test_unhandled_updates_come_back_in_order_until_given_up(session, clock):
    await inbox.store_batch(session, [update(3), update(1), update(2)], clock.now())
    await inbox.mark_handled(session, [2], clock.now())
    await session.commit()
    for _ in range(inbox.MAX_REPLAYS):
        again, given_up = await inbox.claim_unhandled(session, clock.now())
        await session.commit()
        assert (again, given_up) == ([update(1), update(3)], [])
    # Cut short every time: given up, so it cannot keep the bot from starting.
    assert await inbox.claim_unhandled(session, clock.now()) == ([], [1, 3])
    await session.commit()
    assert await inbox.claim_unhandled(session, clock.now()) == ([], [])


async def test_handled_updates_are_pruned_after_the_retention_but_the_newest_stays(session, clock):
    await inbox.store_batch(session, [update(1), update(2), update(3)], clock.now())
    await inbox.mark_handled(session, [1, 3], clock.now())
    await session.commit()
    assert await inbox.prune(session, clock.now() + timedelta(days=1), timedelta(days=2)) == 0
    assert await inbox.prune(session, clock.now() + timedelta(days=3), timedelta(days=2)) == 1
    await session.commit()
    # 2 is not handled yet; 3 tells a restart which offset confirms what is stored.
    assert list(
        await session.scalars(select(InboxUpdate.update_id).order_by(InboxUpdate.update_id))
    ) == [2, 3]
    assert await inbox.next_offset(session) == 4
