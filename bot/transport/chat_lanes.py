"""Updates from different chats are handled at the same time; within a chat, in order.

PTB handles one update at a time by default, so one busy chat (a stranger flooding a group,
whose replies wait for Telegram's 20-a-minute group limit) held up everyone, a crisis too.
Here each chat is a lane: an update waits only for the earlier updates of its own chat.

Why per chat: a ConversationHandler's state is keyed by (chat, user), and a button pressed
under a message belongs to that message's chat, so keeping a chat in order keeps every
conversation in order, callback queries included. A user's private chat and a group they are
in are different lanes; the only state they share is user_data, which our handlers keep per
conversation step, not across chats.

PTB's base class counts an update against its limit before `do_process_update` runs, so an
update waiting for its chat's turn would take a place from other chats: 60 queued group
messages would fill every place. The base limit is therefore only a ceiling on updates held in
memory, and the bound on updates being handled at once is our own, taken when an update's
turn has come.

Group chats have places of their own. A reply in a group waits for that group's rate limit
(PTB's AIORateLimiter, 20 a minute) inside its handler and keeps its place meanwhile; were the
places shared, enough flooded groups would take them all. A crisis is raised and taken in
private chats only, so no group traffic can hold one up.

The scheduler's ticks give way to updates in hand (`quiet`): a tick that starts while a
/crisis is being handled interleaves its statements with the crisis's on the one event loop
and delays its alert by the tick's length. The inbox's next getUpdates gives way to its batch
in the same way (bot/transport/poller.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Hashable
from contextlib import suppress
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates handled at the same time: in private chats (and updates without a chat), in groups.
MAX_RUNNING = 32
MAX_RUNNING_GROUPS = 8
# Updates in memory (waiting for their chat's turn or being handled); far more than a
# getUpdates batch of 100. Those beyond it are still safe in the inbox table.
MAX_HELD = 10_000
# How long other work on the event loop (a scheduler tick, the next getUpdates) waits for
# updates in hand, a /crisis among them, to be handled first. Far below the second an
# escalation step may be late; a slow handler or a stranger's flood cannot hold anything up
# for longer.
GIVE_WAY = 0.05


def lane_of(update: object) -> Hashable:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            # Inline queries and buttons under inline messages have no chat.
            return ("user", update.effective_user.id)
    return ("other",)


def _in_group(lane: Hashable) -> bool:
    # Group and channel chat ids are negative; private chats have the user's (positive) id.
    return isinstance(lane, tuple) and lane[0] == "chat" and lane[1] < 0


class ChatLanes(BaseUpdateProcessor):
    def __init__(
        self,
        max_running: int = MAX_RUNNING,
        max_running_groups: int = MAX_RUNNING_GROUPS,
        max_held: int = MAX_HELD,
    ) -> None:
        super().__init__(max_concurrent_updates=max_held)
        self._running = asyncio.Semaphore(max_running)
        self._running_groups = asyncio.Semaphore(max_running_groups)
        # Per lane: a future done once the lane's latest update so far is finished.
        self._tails: dict[Hashable, asyncio.Future[None]] = {}
        self._in_hand = 0
        self._quiet = asyncio.Event()
        self._quiet.set()

    async def quiet(self, at_most: float) -> None:
        """Returns once no update is in hand, or after `at_most` seconds if updates keep
        coming: for work that should wait for updates being handled, but not for long."""
        with suppress(TimeoutError):
            await asyncio.wait_for(self._quiet.wait(), at_most)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # No await before the tail is replaced: updates passed in order join their lane in order.
        lane = lane_of(update)
        previous = self._tails.get(lane)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[lane] = mine
        started = False
        self._in_hand += 1
        self._quiet.clear()
        try:
            if previous is not None:
                # Shielded: being cancelled while waiting must not cancel the earlier update's
                # future, which later updates of the lane wait for too.
                await asyncio.shield(previous)
            async with self._running_groups if _in_group(lane) else self._running:
                started = True
                await coroutine
        finally:
            if not started and asyncio.iscoroutine(coroutine):
                coroutine.close()
            self._finish(lane, previous, mine)
            self._in_hand -= 1
            if not self._in_hand:
                self._quiet.set()

    def _finish(
        self, lane: Hashable, previous: asyncio.Future[None] | None, mine: asyncio.Future[None]
    ) -> None:
        def done(_: object = None) -> None:
            mine.set_result(None)
            if self._tails.get(lane) is mine:
                del self._tails[lane]

        # Cancelled while still waiting: the next update must keep waiting for the earlier one.
        if previous is not None and not previous.done():
            previous.add_done_callback(done)
        else:
            done()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
