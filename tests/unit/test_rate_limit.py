"""Telegram's flood limit with a new crisis's first alert going ahead of what waits."""

import asyncio

from bot.transport.rate_limit import URGENT, UrgentFirstRateLimiter


async def _send(limiter, log, name, *, urgent=False, chat_id=1):
    async def call():
        log.append(name)
        return {"ok": True}

    data = {"chat_id": chat_id} if chat_id is not None else {}
    return await limiter.process_request(
        call, (), {}, "sendMessage", data, URGENT if urgent else None
    )


async def test_an_urgent_message_goes_ahead_of_the_queue():
    # Two messages at once, then one every 0.1 s.
    limiter = UrgentFirstRateLimiter(overall_max_rate=2, overall_time_period=0.2)
    log: list[str] = []
    backlog = [asyncio.create_task(_send(limiter, log, f"notice {n}")) for n in range(6)]
    await asyncio.gather(*backlog[:2])  # these two had room at once
    await _send(limiter, log, "crisis", urgent=True)
    await asyncio.gather(*backlog)
    assert log[:3] == ["notice 0", "notice 1", "crisis"]
    assert sorted(log[3:]) == [f"notice {n}" for n in range(2, 6)]


async def test_without_urgent_messages_the_queue_keeps_its_order_and_the_limit():
    limiter = UrgentFirstRateLimiter(overall_max_rate=2, overall_time_period=0.2)
    log: list[str] = []
    started = asyncio.get_running_loop().time()
    await asyncio.gather(*(_send(limiter, log, f"notice {n}") for n in range(5)))
    # Two at once, the other three one per 0.1 s.
    assert asyncio.get_running_loop().time() - started >= 0.25
    assert log == [f"notice {n}" for n in range(5)]


async def test_requests_to_no_chat_are_not_held_back():
    limiter = UrgentFirstRateLimiter(overall_max_rate=1, overall_time_period=0.5)
    log: list[str] = []
    await _send(limiter, log, "first")
    crisis = asyncio.create_task(_send(limiter, log, "crisis", urgent=True))
    await asyncio.sleep(0.01)
    # The limit is used up and an urgent message waits; answering a button press is no
    # message to a chat, so Telegram does not count it and it goes at once.
    await asyncio.wait_for(_send(limiter, log, "button answered", chat_id=None), 0.2)
    await crisis
    assert log == ["first", "button answered", "crisis"]


async def test_a_request_given_up_while_waiting_does_not_stop_the_queue():
    # Four wait behind a used-up limit; the first and third in line are cancelled (the
    # update that sent them was given up). The others still go, in their order.
    limiter = UrgentFirstRateLimiter(overall_max_rate=1, overall_time_period=0.1)
    log: list[str] = []
    await _send(limiter, log, "first")
    waiting = [asyncio.create_task(_send(limiter, log, f"notice {n}")) for n in range(4)]
    await asyncio.sleep(0.01)
    waiting[0].cancel()
    waiting[2].cancel()
    await asyncio.wait_for(asyncio.gather(waiting[1], waiting[3]), 1)
    assert log == ["first", "notice 1", "notice 3"]
    assert waiting[0].cancelled() and waiting[2].cancelled()
