"""The `achtervang` command: run the bot, manage the schema, enrol people, import data.

Each command group lives in its own module under `bot.cli`; importing them registers their
commands on the shared tree in `bot.cli.common`.
"""

from __future__ import annotations

import sys

import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.cli import (
    audit,
    cases,
    coach,
    db,
    db_backup,
    feeds,
    imports,
    roster,
    run,
    sandbox,
    standin,
)
from bot.cli.common import app
from bot.operations.log_setup import configure_logging
from bot.operations.private_files import restrict_process_umask

# The command modules register themselves on `app` when imported.
COMMAND_MODULES = (
    audit,
    cases,
    coach,
    db,
    db_backup,
    feeds,
    imports,
    roster,
    run,
    sandbox,
    standin,
)


def main() -> None:
    # Databases, exports and backups hold case codes and who works where: owner-only.
    restrict_process_umask()
    # Until a command that runs the bot applies LOG_LEVEL and LOG_FORMAT (run, sandbox).
    configure_logging()
    try:
        app()
    except SQLAlchemyError as exc:
        typer.echo(str(exc).splitlines()[0], err=True)
        sys.exit(1)
