"""Database backups an operator can restore: `achtervang db backup FILE` / `db restore FILE`.

SQLite is copied with its online backup API, so the bot may keep running; PostgreSQL with
pg_dump's custom format and pg_restore. A restore goes only into an empty database, so it
can never mix two teams' data or overwrite a live one. Backups are written owner-only.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.operations.private_files import create_private, prepare_sqlite_file


class BackupProblem(Exception):
    """What went wrong, for the operator; `kind` picks the translated sentence."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind = kind  # exists | missing_tool | no_database | bad_file | tool_failed
        self.detail = detail


async def is_empty(engine: AsyncEngine) -> bool:
    async with engine.connect() as conn:
        return not await conn.run_sync(lambda sync: inspect(sync).get_table_names())


def backup(url: str, target: Path) -> None:
    parsed = make_url(url)
    try:
        create_private(target)  # refuses to overwrite, and the copy is 0600 from the start
    except FileExistsError as exc:
        raise BackupProblem("exists", str(target)) from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            _sqlite_backup(parsed, target)
        else:
            _pg_dump(parsed, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def restore(url: str, source: Path) -> None:
    """Restores into the database at `url`, which the caller has checked is empty."""
    if not source.is_file():
        raise BackupProblem("no_database", str(source))
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_restore(source, parsed)
    else:
        _pg_restore(parsed, source)


def _read_only(path: str) -> str:
    return f"file:{quote(path)}?mode=ro"


def _sqlite_backup(url: URL, target: Path) -> None:
    path = url.database or ""
    try:
        # Read-only: a mistyped DATABASE_URL must not create an empty database to back up.
        source = sqlite3.connect(_read_only(path), uri=True)
    except sqlite3.OperationalError as exc:
        raise BackupProblem("no_database", path) from exc
    try:
        with sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
    except sqlite3.DatabaseError as exc:
        raise BackupProblem("bad_file", str(exc)) from exc
    finally:
        source.close()


def _sqlite_restore(source: Path, url: URL) -> None:
    if url.database is None:
        raise ValueError("a restore needs an SQLite file, not an in-memory database")
    prepare_sqlite_file(url.database)
    try:
        backup_db = sqlite3.connect(_read_only(str(source)), uri=True)
        backup_db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupProblem("bad_file", str(exc)) from exc
    try:
        with sqlite3.connect(url.database) as target:
            backup_db.backup(target)
            # The bot's engine sets WAL on every connection; the copy keeps the source's mode.
        target.close()
    finally:
        backup_db.close()


def _pg_environment(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
        ("PGSSLMODE", url.query.get("sslmode") or url.query.get("ssl")),
    ):
        if value:
            env[variable] = str(value)
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupProblem("missing_tool", name)
    return found


def _run(command: list[str], url: URL) -> None:
    # umask 077 in the child as well: pg_dump writes the file we created 0600 in place.
    done = subprocess.run(
        command, env=_pg_environment(url), capture_output=True, text=True, umask=0o077
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
        raise BackupProblem("tool_failed", lines[0])


def _pg_dump(url: URL, target: Path) -> None:
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    _run([*command, f"--file={target}"], url)


def _pg_restore(url: URL, source: Path) -> None:
    command = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    _run([*command, "--single-transaction", f"--dbname={url.database}", str(source)], url)
