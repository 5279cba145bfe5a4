"""An update is marked handled by the first commit of its handler's task that wrote something,
in that same transaction; reads, rolled-back work and other tasks' commits do not mark it. And
its handling waits for the inbox's commit before anything is done."""

import asyncio

from sqlalchemy import select, update

from bot.models import AuditEvent, InboxUpdate
from bot.transport import inbox_store as inbox
from bot.transport.handling import admitted, handling

UPDATE_ID = 41


async def _stored(sessionmaker, clock) -> asyncio.Future[frozenset[int]]:
    async with sessionmaker() as session:
        await inbox.store_batch(session, [{"update_id": UPDATE_ID}], clock.now())
        await session.commit()
    done: asyncio.Future[frozenset[int]] = asyncio.get_running_loop().create_future()
    done.set_result(frozenset({UPDATE_ID}))
    return done


async def _handled_at(sessionmaker):
    async with sessionmaker() as session:
        return await session.scalar(
            select(InboxUpdate.handled_at).where(InboxUpdate.update_id == UPDATE_ID)
        )


def _work(clock) -> AuditEvent:
    return AuditEvent(at=clock.now(), action="test.work", outcome="ok")


async def test_the_first_commit_with_work_marks_the_update(sessionmaker, clock):
    stored = await _stored(sessionmaker, clock)
    with handling(UPDATE_ID, clock.now, stored) as marks:
        async with sessionmaker() as session:
            await session.scalar(select(InboxUpdate.update_id))
            await session.commit()  # a read: not the update's work
        assert await _handled_at(sessionmaker) is None and not marks.marked
        async with sessionmaker() as session:
            session.add(_work(clock))
            await session.rollback()  # work undone: not marked either
            await session.commit()
        assert await _handled_at(sessionmaker) is None and not marks.marked
        async with sessionmaker() as session:
            session.add(_work(clock))
            await session.commit()
    assert marks.marked
    assert await _handled_at(sessionmaker) == clock.now()


async def test_a_statement_that_writes_is_work_too(sessionmaker, clock):
    stored = await _stored(sessionmaker, clock)
    async with sessionmaker() as session:
        session.add(_work(clock))
        await session.commit()
    with handling(UPDATE_ID, clock.now, stored) as marks:
        async with sessionmaker() as session:
            await session.execute(update(AuditEvent).values(action="test.changed"))
            await session.commit()
    assert marks.marked and await _handled_at(sessionmaker) is not None


async def test_another_tasks_commit_is_not_the_updates_work(sessionmaker, clock):
    stored = await _stored(sessionmaker, clock)

    async def elsewhere() -> None:
        async with sessionmaker() as session:
            session.add(_work(clock))
            await session.commit()

    with handling(UPDATE_ID, clock.now, stored) as marks:
        # A task started while handling inherits the context, as a scheduler wake-up would.
        await asyncio.create_task(elsewhere())
    assert not marks.marked and await _handled_at(sessionmaker) is None


async def test_handling_waits_for_the_inbox_commit(clock):
    stored: asyncio.Future[frozenset[int]] = asyncio.get_running_loop().create_future()
    with handling(UPDATE_ID, clock.now, stored):
        waiting = asyncio.create_task(admitted())
        await asyncio.sleep(0.01)
        assert not waiting.done()
        stored.set_result(frozenset({UPDATE_ID}))
        assert await waiting
    failed: asyncio.Future[frozenset[int]] = asyncio.get_running_loop().create_future()
    failed.set_exception(RuntimeError("the batch could not be stored"))
    with handling(UPDATE_ID, clock.now, failed):
        assert not await admitted()
    stored_before = asyncio.get_running_loop().create_future()
    stored_before.set_result(frozenset())  # in the inbox already: handled there
    with handling(UPDATE_ID, clock.now, stored_before):
        assert not await admitted()
    assert await admitted()  # outside the inbox: nothing to wait for
