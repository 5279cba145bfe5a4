"""An update whose handling is cut short (the bot stopped mid-handler) is handled again on the
next start only if none of its work was committed: a home visit announced just before a crash
is not announced a second time, which replaced the running visit with one that started at the
restart and so moved its alarm later by as long as the bot had been down.

The cut: the stand-in holds the bot's reply, the inbox is stopped without grace (the handler
is cancelled, as a killed process would be), then started again as a new process would.

And the other way round: an update is handled while the inbox stores it, but nothing is
answered before it is stored."""

import asyncio

from sqlalchemy import select, text

from bot.models import Visit, VisitStatus
from tests.e2e.harness import inbox_of, settle
from tests.e2e.team_setup import add_family
from tests.process.instances import poll

HELD = 5.0


async def _visits(sessionmaker) -> list[Visit]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Visit).order_by(Visit.id)))


async def _cut_short(bot_app) -> None:
    await inbox_of(bot_app).stop(grace=0)
    await inbox_of(bot_app).start()


async def test_a_visit_stored_before_the_cut_is_not_announced_again(
    member, standin, bot_app, sessionmaker, clock
):
    anna = await member("Anna de Vries")
    await add_family(sessionmaker, "GZ-1042", "Anna de Vries")
    standin.slow_next("sendMessage", HELD)
    await standin.send_message(anna.user_id, "/visit GZ-1042 30m agressie verwacht")
    await poll(lambda: _visits(sessionmaker), "the visit stored")
    [stored] = await _visits(sessionmaker)

    await _cut_short(bot_app)
    await settle(standin, bot_app)

    [visit] = await _visits(sessionmaker)
    assert (visit.id, visit.status, visit.expected_end) == (
        stored.id,
        VisitStatus.RUNNING,
        stored.expected_end,
    )
    # The confirmation was held when the handler was cut short; nothing else went out.
    await anna.expect_nothing_more()


async def test_an_update_cut_short_before_any_work_is_answered_after_the_restart(
    member, standin, bot_app
):
    anna = await member("Anna de Vries")
    standin.slow_next("sendMessage", HELD)
    await standin.send_message(anna.user_id, "/help")
    await poll(lambda: any(m == "sendMessage" for m, _ in standin.calls), "the held reply")

    await _cut_short(bot_app)
    await settle(standin, bot_app)

    assert (await anna.reply())["text"]


async def test_nothing_is_answered_before_the_update_is_stored(member, standin, bot_app, engine):
    anna = await member("Anna de Vries")
    before = len(standin.bot_messages(anna.user_id))
    async with engine.connect() as holder:
        # Another writer holds the inbox: on SQLite the database's one write lock (the store
        # waits up to its busy timeout), on PostgreSQL a lock that lets rows be read, not added.
        if engine.dialect.name == "postgresql":
            await holder.execute(text("LOCK TABLE inbox_updates IN SHARE MODE"))
        else:
            await holder.execute(text("UPDATE inbox_updates SET replays = replays WHERE 0 = 1"))
        await standin.send_message(anna.user_id, "/help")
        await asyncio.sleep(1.0)
        assert len(standin.bot_messages(anna.user_id)) == before
        await holder.rollback()
    await settle(standin, bot_app)
    assert (await anna.reply())["text"]
    await anna.expect_nothing_more()
