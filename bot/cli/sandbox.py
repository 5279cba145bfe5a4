"""`achtervang sandbox` (try the bot in a browser, no Telegram) and `achtervang demo-data`."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import event_loop
from bot.cli.common import Env, app, cli_translator, fail, fail_setting, load_settings
from bot.config.errors import problem_text, root_causes
from bot.config.settings import Settings
from bot.config.team import ConfigFileError, TeamConfig, load_team_config
from bot.demo_data import (
    DEMO_CONFIG_PATH,
    DemoDataRefused,
    DemoSummary,
    demo_config,
    load_demo_data,
)
from bot.operations.log_setup import configure_logging
from bot.scheduling.clock import SystemClock

# Its own file, so trying the sandbox never touches the DATABASE_URL of a real installation.
SANDBOX_DATABASE = "sqlite:///achtervang-sandbox.sqlite3"


@app.command("sandbox")
def sandbox(
    port: Annotated[
        int, typer.Option(help="Loopback port of the page; 0 picks a free one.")
    ] = 8080,
    database_url: Annotated[
        str, typer.Option(help="Database to use; an empty one gets the demo team.")
    ] = SANDBOX_DATABASE,
    config: Annotated[
        Path | None, typer.Option(help="Team config file; the demo team's by default.")
    ] = None,
) -> None:
    """Run the bot on a local stand-in for Telegram, with a web chat (Ctrl-C stops it)."""
    from bot.sandbox.run import Sandbox  # the bot and its handlers load only for this command

    tr = cli_translator()
    # LOG_LEVEL and LOG_FORMAT apply here too; per-request and per-tick lines stay quiet.
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    url = _database_url(database_url)
    team = demo_config() if config is None else _team_config(config)
    box = Sandbox(url, team, port=port, say=typer.echo)

    async def serve() -> None:
        try:
            await box.start()
        except OSError as exc:
            await box.stop()
            fail(tr._("Cannot start the sandbox: %(problem)s", problem=str(exc)))
        try:
            typer.echo(tr._("Sandbox running: open %(url)s in a browser.", url=box.url))
            await asyncio.Event().wait()
        finally:
            await box.stop()

    with contextlib.suppress(KeyboardInterrupt):
        event_loop.run(serve())


def _database_url(url: str) -> str:
    try:
        return Settings(DATABASE_URL=url).database_url
    except ValidationError as exc:
        tr = cli_translator()
        fail_setting(tr, "--database-url", problem_text(tr, root_causes(exc)[0], Settings))


def _team_config(path: Path) -> TeamConfig:
    try:
        return load_team_config(path)
    except ConfigFileError as exc:
        tr = cli_translator()
        fail_setting(tr, "--config", exc.text(tr))


@app.command("demo-data")
def demo_data(
    database_url: Annotated[
        str | None, typer.Option(help="Database to fill; DATABASE_URL by default.")
    ] = None,
) -> None:
    """Fill an empty database with an invented team, families, a sick coach and an alert."""
    if database_url is not None:
        # Read like every other setting, so a bad URL gets the usual one-line error.
        os.environ["DATABASE_URL"] = database_url
    env = Env()
    team = demo_config()

    async def load(session: AsyncSession) -> DemoSummary | None:
        try:
            summary = await load_demo_data(session, team, SystemClock().now())
        except DemoDataRefused:
            return None
        await session.commit()
        return summary

    summary = env.in_session(load)
    if summary is None:
        fail(env.tr._("The database already holds people; demo data goes only into an empty one."))
    typer.echo(
        env.tr._(
            "Demo team loaded: %(people)d people, %(families)d families; %(sick)s is off sick "
            "and a crisis alert for %(case)s is open.",
            people=summary.people,
            families=summary.families,
            sick=summary.sick_coach,
            case=summary.alert_case,
        )
    )
    typer.echo(
        env.tr._(
            "Its rosters are in %(path)s; set ACHTERVANG_CONFIG to that file to use them.",
            path=str(DEMO_CONFIG_PATH),
        )
    )
