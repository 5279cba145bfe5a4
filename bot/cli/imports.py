"""`achtervang import coaches|cases FILE`: all rows valid, or nothing changes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import Env, fail, import_app
from bot.scheduling.clock import SystemClock
from bot.services.imports.cases import import_cases
from bot.services.imports.coaches import import_coaches
from bot.services.imports.pipeline import ImportReport
from bot.services.waitlist.csv_import import import_waitlist

FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


Importer = Callable[[Env, AsyncSession, str], Awaitable[ImportReport]]


def _import(path: Path, importer: Importer) -> None:
    env = Env()
    tr = env.tr
    try:
        # utf-8-sig: spreadsheet programs often put a byte-order mark in front.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        fail(tr._("%(file)s is not UTF-8 text. Save it as CSV UTF-8.", file=path))

    async def work(session: AsyncSession) -> ImportReport:
        report = await importer(env, session, text)
        if report.ok:
            await session.commit()
        else:
            await session.rollback()
        return report

    report = env.in_session(work)
    if not report.ok:
        for problem in report.problems:
            where = tr._("line %(line)s", line=problem.line)
            if problem.column:
                where += f", {problem.column}"
            typer.echo(f"{path}: {where}: {problem.text.render(tr)}", err=True)
        fail(
            tr.n_(
                "%(n)s problem found; nothing was imported.",
                "%(n)s problems found; nothing was imported.",
                len(report.problems),
            )
        )
    typer.echo(
        tr._(
            "Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.",
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    )


@import_app.command("coaches")
def import_coaches_cmd(file: FileArg) -> None:
    """Import or update team members (columns: see README)."""
    _import(
        file,
        lambda env, session, text: import_coaches(
            session, text, config=env.config, now=SystemClock().now()
        ),
    )


@import_app.command("cases")
def import_cases_cmd(file: FileArg) -> None:
    """Import or update cases (columns: see README)."""
    _import(file, lambda env, session, text: import_cases(session, text, now=SystemClock().now()))


@import_app.command("waitlist")
def import_waitlist_cmd(file: FileArg) -> None:
    """Import or update the waitlist (columns: see README)."""
    _import(
        file,
        lambda env, session, text: import_waitlist(
            session, text, config=env.config, now=SystemClock().now()
        ),
    )
