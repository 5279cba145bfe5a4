"""The durable inbox: fetch updates, store them, and only then tell Telegram they arrived.

PTB's Updater confirms a batch (asks getUpdates for the next offset) as soon as it has queued
it in memory, so a bot killed while handling the first of five crises lost the other four,
while Telegram had told their reporters they were delivered. Here every getUpdates batch is
stored in one transaction first; the next getUpdates, which confirms the batch, is asked only
after that commit. Each update is handled through PTB's Application (its handlers and
conversations as ever, via the update processor: bot/transport/chat_lanes.py) and marked
handled. Its handling starts while the batch is being stored, but the access gate waits for
that commit after its first look-up: nothing is answered, written or left before the update
is stored (bot/transport/handling.py). On start, whatever was stored and not handled is
handled first, in order.

The next getUpdates waits for the batch in hand to be handled, at most `GIVE_WAY`: asked at
once, its request and answer shared the one event loop with the /crisis just fetched and took
a tenth of that crisis's time before its alert went out. The bound keeps a slow handler (a reply
waiting for a group's rate limit) from holding up anyone else's updates.

Handled twice? An update whose handling is cut short is handled again on start, unless its
handler already committed work: the first commit that writes anything also marks the update
handled (bot/transport/handling.py). An update's work is done once; a read-only
update (a lookup) is answered again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.application_type import TeamApplication
from bot.runtime import Runtime
from bot.transport import inbox_store as inbox
from bot.transport.chat_lanes import GIVE_WAY
from bot.transport.handling import handling

log = logging.getLogger(__name__)

# Telegram's long poll: how long one getUpdates waits for something new.
POLL_TIMEOUT = 10
RETENTION = timedelta(days=1)
PRUNE_EVERY = timedelta(hours=1)
# How long stop() lets updates being handled finish; the rest are handled again on start.
GRACE = 5.0
_BACKOFF_MAX = 30.0


class InboxPoller:
    """Startable and stoppable any number of times, for an instance that may poll only while
    it is the active one."""

    def __init__(
        self, application: TeamApplication, runtime: Runtime, *, poll_timeout: int = POLL_TIMEOUT
    ) -> None:
        self._app = application
        self._runtime = runtime
        self._poll_timeout = poll_timeout
        self._poll_task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._to_mark: list[int] = []
        self._marking = False
        self._mark_task: asyncio.Task[None] | None = None
        self._quiet = asyncio.Event()
        self._quiet.set()
        self._last_prune: datetime | None = None

    @property
    def polling(self) -> asyncio.Task[None] | None:
        """The poll loop's task: it ends only by stop(), or with InvalidToken."""
        return self._poll_task

    async def start(self) -> None:
        if self._poll_task is not None:
            raise RuntimeError("the inbox is already polling")
        now = self._runtime.clock.now()
        async with self._runtime.sessionmaker() as session:
            again, given_up = await inbox.claim_unhandled(session, now)
            offset = await inbox.next_offset(session)
            await session.commit()
        if given_up:
            log.error("gave up updates %s: their handling was cut short too often", given_up)
        if again:
            log.warning("handling %d update(s) stored but not handled before", len(again))
        stored: asyncio.Future[frozenset[int]] = asyncio.get_running_loop().create_future()
        stored.set_result(frozenset(raw["update_id"] for raw in again))
        for raw in again:
            self._dispatch(Update.de_json(raw, self._app.bot), stored)
        self._poll_task = asyncio.create_task(self._poll(offset), name="inbox-poll")

    async def stop(self, grace: float = GRACE) -> None:
        task, self._poll_task = self._poll_task, None
        if task is not None:
            task.cancel()
            # Not awaited directly: a loop that ended with InvalidToken is runner.run_active's to
            # report.
            await asyncio.wait({task})
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=grace)
        for pending in set(self._in_flight):
            pending.cancel()
        if self._in_flight:
            await asyncio.wait(set(self._in_flight))
        await self.idle()
        if self._mark_task is not None:
            self._mark_task.cancel()
            with suppress(asyncio.CancelledError):
                await self._mark_task
            self._mark_task = None

    async def idle(self) -> None:
        """Returns once every update fetched so far is handled and marked so."""
        await self._quiet.wait()

    # -- fetching and storing ------------------------------------------------------------

    async def _poll(self, offset: int | None) -> None:
        bot = self._app.bot
        failures = 0
        with suppress(TelegramError):
            await bot.delete_webhook()
        while True:
            try:
                updates = await bot.get_updates(
                    offset=offset, timeout=self._poll_timeout, allowed_updates=Update.ALL_TYPES
                )
            except InvalidToken:
                raise
            except RetryAfter as exc:
                # Seconds as an int unless PTB_TIMEDELTA is set (PTB 22's transition).
                wait = exc.retry_after
                await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else wait)
                continue
            except TelegramError as exc:
                failures += 1
                delay = min(_BACKOFF_MAX, 0.5 * 2 ** min(failures, 6))
                log.warning("getUpdates failed (%s); again in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                continue
            failures = 0
            if not updates:
                continue
            # Handled while the batch is stored: each waits for the commit before it does
            # anything (bot/transport/handling.py), but its first look-up need not.
            stored: asyncio.Future[frozenset[int]] = asyncio.get_running_loop().create_future()
            batch = [self._dispatch(update, stored) for update in updates]
            await asyncio.sleep(0)  # their first look-ups are on their way before the insert
            try:
                await self._store(updates, stored)
            except asyncio.CancelledError:
                stored.cancel()
                raise
            except SQLAlchemyError as failed:
                if stored.done():
                    # Committed: only giving the session back failed.
                    log.exception("could not close the inbox's session")
                else:
                    stored.set_exception(failed)
                    stored.exception()  # seen here; the handlers drop their update
                    # Not stored, so not confirmed: the next getUpdates returns the batch again.
                    log.exception("could not store %d update(s); fetching again", len(updates))
                    await asyncio.sleep(1.0)
                    continue
            offset = updates[-1].update_id + 1
            await asyncio.wait(batch, timeout=GIVE_WAY)
            await self._prune_now_and_then()

    async def _store(
        self, updates: tuple[Update, ...], stored: asyncio.Future[frozenset[int]]
    ) -> None:
        async with self._runtime.sessionmaker() as session:
            fresh = await inbox.store_batch(
                session, [u.to_dict() for u in updates], self._runtime.clock.now()
            )
            await session.commit()
            # Said before the session is given back (its reset is one more round trip to the
            # database): the handlers waiting for this commit go on at once.
            stored.set_result(frozenset(raw["update_id"] for raw in fresh))

    async def _prune_now_and_then(self) -> None:
        now = self._runtime.clock.now()
        if self._last_prune is not None and now - self._last_prune < PRUNE_EVERY:
            return
        self._last_prune = now
        try:
            async with self._runtime.sessionmaker() as session:
                await inbox.prune(session, now, RETENTION)
                await session.commit()
        except SQLAlchemyError:
            log.exception("could not prune handled updates")

    # -- handling ------------------------------------------------------------------------

    def _dispatch(
        self, update: Update, stored: asyncio.Future[frozenset[int]]
    ) -> asyncio.Task[None]:
        self._quiet.clear()
        task = asyncio.create_task(self._handle(update, stored), name=f"update-{update.update_id}")
        self._in_flight.add(task)
        task.add_done_callback(self._handled)
        return task

    async def _handle(self, update: Update, stored: asyncio.Future[frozenset[int]]) -> None:
        app = self._app
        with handling(update.update_id, self._runtime.clock.now, stored) as marks:
            try:
                await app.update_processor.process_update(update, app.process_update(update))
            except asyncio.CancelledError:
                raise
            except Exception:
                # Application.process_update hands handler errors to the error handler; this
                # is a failure around it. Handling it again would most likely fail the same way.
                log.exception("handling update %s failed", update.update_id)
        # Not marked with its work (nothing of it was committed), and stored here: mark it now.
        if not marks.marked and await marks.admitted():
            self._to_mark.append(update.update_id)
            self._wake_marker()

    def _handled(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._check_quiet()

    def _wake_marker(self) -> None:
        if self._mark_task is None or self._mark_task.done():
            self._mark_task = asyncio.create_task(self._mark(), name="inbox-mark")

    async def _mark(self) -> None:
        # One write for whatever was handled meanwhile: under load, one commit marks many.
        while self._to_mark:
            ids, self._to_mark = self._to_mark, []
            self._marking = True
            try:
                async with self._runtime.sessionmaker() as session:
                    await inbox.mark_handled(session, ids, self._runtime.clock.now())
                    await session.commit()
            except SQLAlchemyError:
                log.exception("could not mark updates %s handled; trying again", ids)
                self._to_mark.extend(ids)
                await asyncio.sleep(1.0)
            finally:
                self._marking = False
        self._check_quiet()

    def _check_quiet(self) -> None:
        if not self._in_flight and not self._to_mark and not self._marking:
            self._quiet.set()


@asynccontextmanager
async def serving(
    application: TeamApplication, runtime: Runtime, *, poll_timeout: int = POLL_TIMEOUT
) -> AsyncIterator[InboxPoller]:
    """The steps of PTB's run_polling, with the inbox in place of its Updater."""
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        poller = InboxPoller(application, runtime, poll_timeout=poll_timeout)
        await poller.start()
        try:
            yield poller
        finally:
            await poller.stop()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
