"""`achtervang audit export --since DATE --csv FILE`: the audit trail for the privacy officer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import Env, app, fail
from bot.operations.private_files import write_private
from bot.scheduling.clock import SystemClock
from bot.services.audit.export import day_start, rows_since, to_csv
from bot.services.rosters.input import parse_day

audit_app = typer.Typer(no_args_is_help=True, help="The audit trail.")
app.add_typer(audit_app, name="audit")


@audit_app.command("export")
def audit_export(
    since: Annotated[str, typer.Option("--since", help="First day (local), e.g. 2026-01-01.")],
    csv: Annotated[Path, typer.Option("--csv", help="The .csv file to write ('-': stdout).")],
) -> None:
    """Write every audit event since DATE (local time) as CSV."""
    env = Env()
    tr = env.tr
    today = SystemClock().now().astimezone(env.config.tz).date()
    day = parse_day(since, today)
    if day is None:
        fail(
            tr._(
                "'%(text)s' is not a date I know. Write for example 2026-12-15 or 15-12-2026.",
                text=since,
            )
        )
    start = day_start(day, env.config.tz)

    async def work(session: AsyncSession) -> tuple[str, int]:
        return to_csv(await rows_since(session, start, env.config.tz))

    content, count = env.in_session(work)
    if str(csv) == "-":
        typer.echo(content, nl=False)
        return
    try:
        write_private(csv, content.encode("utf-8"))
    except OSError as exc:
        fail(tr._("Cannot write %(path)s: %(problem)s", path=str(csv), problem=exc.strerror))
    typer.echo(
        tr.n_(
            "Wrote %(n)d audit event since %(day)s to %(path)s.",
            "Wrote %(n)d audit events since %(day)s to %(path)s.",
            count,
            day=day.isoformat(),
            path=str(csv),
        )
    )
