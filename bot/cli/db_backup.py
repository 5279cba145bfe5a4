"""`achtervang db backup FILE` and `achtervang db restore FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from babel.numbers import format_decimal

from bot import schema
from bot.cli.common import Env, db_app, fail
from bot.i18n import Translator
from bot.operations.backup_files import BackupProblem, backup, is_empty, restore


def _explain(tr: Translator, problem: BackupProblem) -> NoReturn:
    messages = {
        "exists": tr._(
            "%(detail)s already exists; a backup never overwrites a file. Choose a new name."
        ),
        "missing_tool": tr._(
            "%(detail)s was not found. Install the PostgreSQL client tools (Debian: apt install "
            "postgresql-client), the same major version as the server or newer."
        ),
        "no_database": tr._("There is nothing to read at %(detail)s."),
        "bad_file": tr._("This is not a backup Achtervang can read: %(detail)s"),
        "tool_failed": tr._("The PostgreSQL tool failed: %(detail)s"),
    }
    fail(messages[problem.kind] % {"detail": problem.detail})


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="New file to write; never overwritten.")],
) -> None:
    """Copy the database to FILE while the bot may keep running (readable by you only)."""
    env = Env()
    try:
        backup(env.settings.database_url, file)
    except BackupProblem as problem:
        _explain(env.tr, problem)
    typer.echo(
        env.tr._(
            "Backup written to %(path)s (%(size)s bytes).",
            path=str(file),
            size=format_decimal(file.stat().st_size, locale=env.tr.language),
        )
    )


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="A file written by `achtervang db backup`.")],
) -> None:
    """Restore FILE into the database of DATABASE_URL, which must be empty."""
    env = Env()
    if not env.run(is_empty):
        fail(
            env.tr._(
                "The database already holds tables; a restore goes only into an empty database. "
                "Create a new one (or move the SQLite file away) and point DATABASE_URL at it."
            )
        )
    try:
        restore(env.settings.database_url, file)
    except BackupProblem as problem:
        _explain(env.tr, problem)
    typer.echo(
        env.tr._(
            "Restored %(path)s; the database schema is at %(revision)s.",
            path=str(file),
            revision=env.run(schema.current_revision) or "base",
        )
    )
