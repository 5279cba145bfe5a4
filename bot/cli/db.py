"""`achtervang db upgrade|downgrade|current`: the schema, through Alembic."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import schema
from bot.cli.common import Env, db_app
from bot.i18n import N_


def _migrate(step: Callable[[AsyncEngine], Awaitable[None]], changed: str) -> None:
    """Runs one migration step and says what it did: from which revision to which."""
    env = Env()

    async def migrate_and_read(engine: AsyncEngine) -> tuple[str, str]:
        before = await schema.current_revision(engine)
        await step(engine)
        return before or "base", await schema.current_revision(engine) or "base"

    before, after = env.run(migrate_and_read)
    if before == after:
        typer.echo(env.tr._("Database schema is already at %(revision)s.", revision=after))
    else:
        typer.echo(env.tr._(changed, before=before, after=after))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Bring the database to the current schema (or to REVISION)."""
    _migrate(
        lambda engine: schema.upgrade(engine, revision),
        N_("Database schema upgraded from %(before)s to %(after)s."),
    )


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, or base.")],
) -> None:
    """Take the schema back to REVISION (base removes every table)."""
    _migrate(
        lambda engine: schema.downgrade(engine, revision),
        N_("Database schema taken back from %(before)s to %(after)s."),
    )


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision of the database and of this version of Achtervang."""
    env = Env()
    typer.echo(
        env.tr._(
            "Database: %(current)s; this version needs: %(head)s.",
            current=env.run(schema.current_revision) or "base",
            head=schema.head_revision(),
        )
    )
