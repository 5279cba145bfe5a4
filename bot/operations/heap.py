"""The heap the bot starts with is kept out of Python's garbage collector while it serves.

Everything imported and built at start-up (SQLAlchemy, PTB, Babel, the holidays tables, the
handlers) lives as long as the process. The collector still walks all of it in each full
collection: on this VM 65-145 ms in which the event loop does nothing else, about once a
minute while crises came in back to back (docs/benchmarks.md). A /crisis that arrives then
waits. Frozen (gc.freeze), those objects are no longer walked; a full collection covers only
what was made since, and takes a few milliseconds.

Unfrozen again when serving stops, so that an application built for the next spell of
leadership does not add its own start-up heap on top of one the collector may never free."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def settled() -> Iterator[None]:
    """Around serving, entered once the application is built and before it polls: collect
    what start-up left behind (100-150 ms here), then freeze the rest."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
