"""How fast this machine runs the bot's kind of work right now, for comparing benchmark runs
made at different hours on a shared VM.

The same crisis path has cost a third more CPU time from one hour to the next on this VM
(docs/benchmarks.md); a latency figure means little without knowing which hour it met. The
reference is work of the path's kind, in this process and on no event loop: parsing a
getUpdates answer with a /crisis into PTB's objects and turning it back into JSON, as the bot
does with every update. Lower is faster. Printed before and after a run, so that a machine that
changed speed during it shows."""

from __future__ import annotations

import json
import statistics
import time

from telegram import Bot, Update

_ANSWER = json.dumps(
    [
        {
            "update_id": 100 + i,
            "message": {
                "message_id": 7 + i,
                "date": 1_764_230_400,
                "chat": {"id": 41, "type": "private", "first_name": "Eva"},
                "from": {"id": 41, "is_bot": False, "first_name": "Eva", "language_code": "nl"},
                "text": "/crisis GZ-1042 vader dreigt, kinderen thuis",
                "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
            },
        }
        for i in range(20)
    ]
)
_ROUNDS = 10


def _once(bot: Bot) -> None:
    updates = Update.de_list(json.loads(_ANSWER), bot)
    json.dumps([update.to_dict() for update in updates])


def reference_ms(repeats: int = 15) -> float:
    """The median over `repeats` of the time _ROUNDS parses take, in ms."""
    bot = Bot("1:reference")
    _once(bot)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(_ROUNDS):
            _once(bot)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)
