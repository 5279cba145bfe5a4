"""`achtervang roster …`: the duty roster outside Telegram (a calendar file for the team)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import Env, fail, roster_app
from bot.operations.private_files import write_private
from bot.scheduling.clock import SystemClock
from bot.services.rosters.ics import DEFAULT_WEEKS, Export, load_export, to_ics
from bot.texts.roster import when


@roster_app.command("export")
def roster_export(
    ics: Annotated[Path, typer.Option("--ics", help="The .ics file to write ('-': stdout).")],
    weeks: Annotated[int, typer.Option(min=1, max=52, help="Weeks ahead.")] = DEFAULT_WEEKS,
) -> None:
    """Write every rostered shift of the coming weeks, gaps included, as an iCalendar file."""
    env = Env()
    tr = env.tr
    now = SystemClock().now()

    async def work(session: AsyncSession) -> Export:
        return await load_export(session, env.config, now, weeks)

    export = env.in_session(work)
    if not export.shifts:
        fail(tr._("No duty rosters are set up yet. A team lead sets them with /rota."))
    content = to_ics(
        tr,
        export.shifts,
        name=tr._("%(team)s: duty roster", team=env.config.team_name),
        stamp=now,
    )
    if str(ics) == "-":
        typer.echo(content.decode(), nl=False)
        return
    try:
        write_private(ics, content)
    except OSError as exc:
        fail(tr._("Cannot write %(path)s: %(problem)s", path=str(ics), problem=exc.strerror))
    typer.echo(
        tr.n_(
            "Wrote %(n)d shift (%(gaps)d without a holder), %(start)s – %(end)s, to %(path)s.",
            "Wrote %(n)d shifts (%(gaps)d without a holder), %(start)s – %(end)s, to %(path)s.",
            len(export.shifts),
            gaps=len(export.gaps),
            start=when(tr, export.shifts[0].start),
            end=when(tr, max(s.end for s in export.shifts)),
            path=str(ics),
        )
    )
