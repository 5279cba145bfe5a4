"""An update is marked handled in the same transaction as the first work its handler commits.

The inbox hands a stored update that was not marked handled to the next start again. Marking
only after the handler returned left a window: a coach's `/visit` stored, confirmed and
committed, the bot killed before the mark, and the restart took the same `/visit` in again and
replaced the running visit with a new one that started at the restart, its alarm as late as
the bot had been down. Asking every handler to mark its own update is a rule the next handler
forgets. So the mark rides along with the handler's first commit that wrote anything: after a
crash either nothing of the update's work is in the database (it is handled again, in full) or
the work and the mark are (it is not). The reply a handler sends after that commit is what a
crash in between can lose; a crisis receipt goes through the outbox, so it cannot.

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

from sqlalchemy import event, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from bot.models import InboxUpdate

_WROTE = "achtervang_wrote"
_MARKING = "achtervang_marking"


@dataclass
class _Handling:
    update_id: int
    task: asyncio.Task[Any] | None
    now: Callable[[], datetime]
    marked: bool = False


_current: ContextVar[_Handling | None] = ContextVar("achtervang_update", default=None)


@contextmanager
def handling(update_id: int, now: Callable[[], datetime]) -> Iterator[None]:
    """Around the handling of one update, in the task that handles it; `now` dates the mark."""
    token = _current.set(_Handling(update_id, asyncio.current_task(), now))
    try:
        yield
    finally:
        _current.reset(token)


def _pending(session: Session) -> _Handling | None:
    now = _current.get()
    # Commit fires before_commit before its final flush: what is added but not flushed yet is
    # work too.
    wrote = session.info.get(_WROTE) or session.new or session.dirty or session.deleted
    if now is None or now.marked or not wrote:
        return None
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no running loop: not an update's handler
        return None
    return now if task is now.task else None


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
    session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id == handling_now.update_id, InboxUpdate.handled_at.is_(None))
        .values(handled_at=handling_now.now())
        .execution_options(synchronize_session=False)
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
