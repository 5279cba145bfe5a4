"""Log lines say where something failed, never with what: exception texts can carry case codes,
crisis texts and SQL parameters (a database's own error detail names the key it refused, which
`hide_parameters` does not reach). Above DEBUG an exception is logged as its type and the frames
it passed through; its message only at DEBUG. log_setup puts the filter on the one handler."""

from __future__ import annotations

import logging
import traceback


def exception_outline(error: BaseException) -> str:
    """'IntegrityError (from sqlite3.IntegrityError) at bot/x.py:12 in f < ...', no message."""
    frames = traceback.extract_tb(error.__traceback__)
    # Where in our code it went wrong says most; the library frames below it say how.
    ours = [f for f in frames if "/bot/" in f.filename and "site-packages" not in f.filename]
    shown = (ours[-4:] + frames[-1:]) if ours else frames[-4:]
    where = " < ".join(f"{_short(f.filename)}:{f.lineno} in {f.name}" for f in reversed(shown))
    cause = error.__cause__ or error.__context__
    origin = f" (from {type(cause).__module__}.{type(cause).__name__})" if cause else ""
    return f"{type(error).__name__}{origin}" + (f" at {where}" if where else "")


def _short(path: str) -> str:
    return "/".join(path.replace("\\", "/").split("/")[-2:])


class HideExceptionText(logging.Filter):
    """Replaces the traceback of records above DEBUG with its outline (see module doc)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG and record.exc_info and record.exc_info[1]:
            outline = exception_outline(record.exc_info[1])
            record.msg = f"{record.getMessage()} [{outline}]"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True
