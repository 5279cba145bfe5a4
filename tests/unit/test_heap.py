"""The start-up heap is frozen while the bot serves (bot/operations/heap.py)."""

from __future__ import annotations

import gc

from bot.operations import heap


class _Built:
    """Stands for something made at start-up that lives as long as the process."""


def _walked(thing: object) -> bool:
    """Whether a collection of any generation would look at `thing`."""
    return any(obj is thing for obj in gc.get_objects())


def test_what_start_up_built_is_not_walked_while_serving_and_is_again_after() -> None:
    built = _Built()
    assert _walked(built)
    with heap.settled():
        assert not _walked(built)
        made_since = _Built()
        assert _walked(made_since)
    assert _walked(built)
    assert gc.get_freeze_count() == 0


def test_the_heap_is_unfrozen_when_serving_stops_with_an_error() -> None:
    built = _Built()
    try:
        with heap.settled():
            raise RuntimeError("leadership lost")
    except RuntimeError:
        pass
    assert _walked(built)
    assert gc.get_freeze_count() == 0
