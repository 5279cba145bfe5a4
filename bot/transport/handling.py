"""What the task handling one update knows about it: whether the inbox stored it, and whether
it was marked handled with its work.

Stored first. An update is handled while the inbox's commit of its batch is still on its way to
the disk, so the access gate's look-up overlaps that commit instead of following it; but
nothing is done about an update (no reply, no write, no leaving a group) before it is stored:
the gate waits for `admitted()` after its read. An update whose batch could not be stored is
dropped there, and handled when the batch is fetched again.

Marked with its work. The inbox hands a stored update that was not marked handled to the next
start again. Marking only after the handler returned left a window: a coach's `/visit` stored,
confirmed and committed, the bot killed before the mark, and the restart took the same `/visit`
in again and replaced the running visit with a new one that started at the restart, its alarm
as late as the bot had been down. Asking every handler to mark its own update is a rule the next
handler forgets. So the mark rides along with the handler's first commit that wrote anything:
after a crash either nothing of the update's work is in the database (it is handled again, in
full) or the work and the mark are (it is not). The reply a handler sends after that commit is
what a crash in between can lose; a crisis receipt goes through the outbox, so it cannot.

Only commits made by the task that handles the update count: work that task started elsewhere
(a scheduler wake-up inheriting its context) is not that update's work."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from bot.transport.inbox_store import MARK_HANDLED

_WROTE = "achtervang_wrote"
_MARKING = "achtervang_marking"


@dataclass
class Marks:
    update_id: int
    task: asyncio.Task[Any] | None
    now: Callable[[], datetime]
    # The ids of its batch that the inbox stored fresh (not stored before), once committed.
    stored: asyncio.Future[frozenset[int]]
    marked: bool = False

    async def admitted(self) -> bool:
        try:
            fresh = await asyncio.shield(self.stored)
        except asyncio.CancelledError:
            if self.stored.cancelled():  # the poll loop stopped while storing
                return False
            raise
        except Exception:
            return False
        return self.update_id in fresh


_current: ContextVar[Marks | None] = ContextVar("achtervang_update", default=None)


@contextmanager
def handling(
    update_id: int, now: Callable[[], datetime], stored: asyncio.Future[frozenset[int]]
) -> Iterator[Marks]:
    """Around the handling of one update, in the task that handles it; `now` dates the mark,
    `stored` is its batch's commit. What it yields says afterwards whether the update was
    marked handled with its work."""
    marks = Marks(update_id, asyncio.current_task(), now, stored)
    token = _current.set(marks)
    try:
        yield marks
    finally:
        _current.reset(token)


def current_update_id() -> int | None:
    """The update whose handling this code runs in, if any."""
    marks = _current.get()
    return None if marks is None else marks.update_id


async def admitted() -> bool:
    """Waits until the update being handled is stored; False if it is not to be handled here
    (its batch could not be stored, or it was stored before). Outside the inbox (a handler
    called directly) there is nothing to wait for."""
    marks = _current.get()
    return True if marks is None else await marks.admitted()


def _pending(session: Session) -> Marks | None:
    marks = _current.get()
    # Commit fires before_commit before its final flush: what is added but not flushed yet is
    # work too.
    wrote = session.info.get(_WROTE) or session.new or session.dirty or session.deleted
    if marks is None or marks.marked or not wrote:
        return None
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no running loop: not an update's handler
        return None
    return marks if task is marks.task else None


@event.listens_for(Session, "after_flush")
def _wrote_by_flush(session: Session, _: UOWTransaction) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _wrote_by_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "before_commit")
def _mark_with_the_work(session: Session) -> None:
    handling_now = _pending(session)
    if handling_now is None:
        return
    # On the session's connection, not through the session: a plain statement, no ORM
    # bookkeeping on every update's path.
    session.connection().execute(
        MARK_HANDLED, {"ids": [handling_now.update_id], "at": handling_now.now()}
    )
    session.info[_MARKING] = handling_now


@event.listens_for(Session, "after_commit")
def _marked(session: Session) -> None:
    handling_now = session.info.pop(_MARKING, None)
    if handling_now is not None:
        handling_now.marked = True
    session.info.pop(_WROTE, None)


@event.listens_for(Session, "after_rollback")
def _not_marked(session: Session) -> None:
    session.info.pop(_MARKING, None)
    session.info.pop(_WROTE, None)
