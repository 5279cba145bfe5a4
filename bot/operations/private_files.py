"""Files the bot creates hold case codes and who works where: readable by their owner only.

The process umask covers whatever a library creates (`achtervang` sets 077 at start); the
functions here make sure of it also when the umask is looser (tests, another caller).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE = 0o600
# SQLite gives its -wal, -shm and -journal files the mode of the database file itself.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def restrict_process_umask() -> None:
    os.umask(0o077)


def tighten(path: Path) -> None:
    """Owner-only for a file that may already exist with a wider mode (an older install)."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        if path.stat().st_mode & 0o077:
            path.chmod(PRIVATE)


def write_private(path: Path, content: bytes) -> None:
    """Writes `content` to `path`, created or truncated, mode 0600 whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    with os.fdopen(fd, "wb") as file:
        os.fchmod(file.fileno(), PRIVATE)
        file.write(content)


def create_private(path: Path) -> None:
    """Creates an empty file, mode 0600; FileExistsError when something is there already."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    path.chmod(PRIVATE)


def prepare_sqlite_file(database: str | None) -> None:
    """Creates the SQLite file owner-only before SQLite would create it 0644 (umask 022)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return  # SQLite reports the missing directory in its own words
    with contextlib.suppress(FileExistsError):
        create_private(path)
    for target in (path, *(Path(f"{path}{suffix}") for suffix in SQLITE_COMPANIONS)):
        tighten(target)
