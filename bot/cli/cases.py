"""`achtervang cases purge [--dry-run]`: empty the operational notes of cases closed longer
than the retention period (the bot also does this every night)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import Env, app
from bot.scheduling.clock import SystemClock
from bot.services.cases.retention import Purged, purge

cases_app = typer.Typer(no_args_is_help=True, help="Families' cases.")
app.add_typer(cases_app, name="cases")


@cases_app.command("purge")
def cases_purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what would be purged.")
    ] = False,
) -> None:
    """Purge notes of cases closed longer than [cases] retention_months ago; audited."""
    env = Env()
    tr = env.tr
    now = SystemClock().now()
    months = env.config.cases.retention_months

    async def work(session: AsyncSession) -> list[Purged]:
        done = await purge(
            session,
            retention_months=months,
            today=now.astimezone(env.config.tz).date(),
            now=now,
            dry_run=dry_run,
        )
        if not dry_run:
            await session.commit()
        return done

    done = env.in_session(work)
    for case in done:
        typer.echo(
            tr._(
                "%(code)s (closed %(day)s): %(notes)d contact notes, %(alerts)d crisis alerts",
                code=case.code,
                day=case.end_date.isoformat(),
                notes=case.notes,
                alerts=case.alerts,
            )
        )
    if dry_run:
        summary = tr.n_(
            "Dry run: %(n)d case closed more than %(months)d months ago would be purged.",
            "Dry run: %(n)d cases closed more than %(months)d months ago would be purged.",
            len(done),
            months=months,
        )
    else:
        summary = tr.n_(
            "Purged the notes of %(n)d case closed more than %(months)d months ago.",
            "Purged the notes of %(n)d cases closed more than %(months)d months ago.",
            len(done),
            months=months,
        )
    typer.echo(summary)
