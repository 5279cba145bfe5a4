"""The update processor: chats side by side, each chat in order, a bound on the total."""

import asyncio

from telegram import Update

from bot.transport.chat_lanes import ChatLanes

_next_id = iter(range(1, 10_000))


def message_in(chat_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": next(_next_id),
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": {"id": abs(chat_id), "is_bot": False, "first_name": "X"},
                "text": "hoi",
            },
        },
        None,
    )


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, int, int]] = []
        self.running = 0
        self.most_running = 0

    async def work(self, chat: int, n: int, gate: asyncio.Event | None = None) -> None:
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        self.events.append(("start", chat, n))
        await (gate.wait() if gate else asyncio.sleep(0.001))
        self.events.append(("end", chat, n))
        self.running -= 1


async def test_one_chat_in_order_while_another_goes_ahead():
    lanes, seen = ChatLanes(), Recorder()
    blocked = asyncio.Event()
    tasks = [
        asyncio.create_task(lanes.process_update(message_in(-5), seen.work(-5, n, blocked)))
        for n in range(3)
    ]
    await asyncio.sleep(0.01)
    await lanes.process_update(message_in(7), seen.work(7, 0))
    # The group's first update is still running, its others wait; the private chat is done.
    assert seen.events == [("start", -5, 0), ("start", 7, 0), ("end", 7, 0)]
    blocked.set()
    await asyncio.gather(*tasks)
    group = [e for e in seen.events if e[1] == -5]
    assert group == [(kind, -5, n) for n in range(3) for kind in ("start", "end")]


async def test_the_total_running_is_bounded_but_waiting_updates_hold_no_place():
    lanes, seen = ChatLanes(max_running=2), Recorder()
    blocked = asyncio.Event()
    # Ten updates queued in one chat take one running place, not ten.
    queued = [
        asyncio.create_task(lanes.process_update(message_in(9), seen.work(9, n, blocked)))
        for n in range(10)
    ]
    await lanes.process_update(message_in(1), seen.work(1, 0))
    assert ("end", 1, 0) in seen.events
    # Two more chats blocked: a third waits for a place.
    more = [
        asyncio.create_task(lanes.process_update(message_in(c), seen.work(c, 0, blocked)))
        for c in (2, 3)
    ]
    await asyncio.sleep(0.01)
    assert seen.running == 2
    blocked.set()
    await asyncio.gather(*queued, *more)
    assert seen.most_running == 2


async def test_groups_busy_in_every_place_of_theirs_do_not_hold_up_a_private_chat():
    lanes, seen = ChatLanes(max_running=1, max_running_groups=2), Recorder()
    blocked = asyncio.Event()
    groups = [
        asyncio.create_task(lanes.process_update(message_in(-g), seen.work(-g, 0, blocked)))
        for g in range(10, 13)
    ]
    await asyncio.sleep(0.01)
    assert seen.running == 2
    await lanes.process_update(message_in(42), seen.work(42, 0))
    assert ("end", 42, 0) in seen.events
    blocked.set()
    await asyncio.gather(*groups)


async def test_an_update_cancelled_while_waiting_keeps_the_order_of_the_rest():
    lanes, seen = ChatLanes(), Recorder()
    first_blocked = asyncio.Event()
    first = asyncio.create_task(lanes.process_update(message_in(4), seen.work(4, 0, first_blocked)))
    second = asyncio.create_task(lanes.process_update(message_in(4), seen.work(4, 1)))
    third = asyncio.create_task(lanes.process_update(message_in(4), seen.work(4, 2)))
    await asyncio.sleep(0.01)
    second.cancel()
    await asyncio.sleep(0.01)
    # The third still waits for the first, which is still running.
    assert seen.events == [("start", 4, 0)]
    first_blocked.set()
    await asyncio.gather(first, third)
    assert seen.events == [("start", 4, 0), ("end", 4, 0), ("start", 4, 2), ("end", 4, 2)]


async def test_quiet_waits_for_updates_in_hand_but_not_for_ever():
    lanes, seen = ChatLanes(), Recorder()
    await asyncio.wait_for(lanes.quiet(at_most=5), 0.5)  # nothing in hand: at once

    first, second = asyncio.Event(), asyncio.Event()
    running = [
        asyncio.create_task(lanes.process_update(message_in(7), seen.work(7, 0, first))),
        # Waiting for its chat's turn is in hand too.
        asyncio.create_task(lanes.process_update(message_in(7), seen.work(7, 1, second))),
    ]
    await asyncio.sleep(0.01)
    waiting = asyncio.create_task(lanes.quiet(at_most=5))
    first.set()
    await asyncio.sleep(0.01)
    assert not waiting.done()
    second.set()
    await asyncio.wait_for(waiting, 0.5)
    await asyncio.gather(*running)

    # An update that keeps running holds quiet() up for `at_most` only.
    stuck = asyncio.Event()
    task = asyncio.create_task(lanes.process_update(message_in(8), seen.work(8, 0, stuck)))
    await asyncio.sleep(0.01)
    await asyncio.wait_for(lanes.quiet(at_most=0.05), 0.5)
    assert not task.done()
    stuck.set()
    await task
