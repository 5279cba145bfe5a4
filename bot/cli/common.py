"""What every `achtervang` command shares: the command tree, settings, config and errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot import event_loop, schema
from bot.config.errors import problem_text, root_causes
from bot.config.settings import Settings, credentials_directory
from bot.config.team import ConfigFileError, TeamConfig, load_team_config
from bot.db import make_engine, make_sessionmaker
from bot.i18n import Translator, translator

T = TypeVar("T")
EXIT_SETTINGS = 2

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Achtervang team bot.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
coach_app = typer.Typer(no_args_is_help=True, help="Team members and partners.")
import_app = typer.Typer(no_args_is_help=True, help="Import CSV files.")
roster_app = typer.Typer(no_args_is_help=True, help="Duty rosters.")
app.add_typer(db_app, name="db")
app.add_typer(coach_app, name="coach")
app.add_typer(import_app, name="import")
app.add_typer(roster_app, name="roster")


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def fail_setting(tr: Translator, setting: str, problem: str) -> NoReturn:
    fail(
        tr._("Configuration error: %(setting)s: %(problem)s", setting=setting, problem=problem),
        EXIT_SETTINGS,
    )


def cli_translator() -> Translator:
    # Before the config is read, the CLI speaks the product's default language.
    return translator(None, TeamConfig().tz)


def load_settings() -> Settings:
    try:
        return Settings(_secrets_dir=credentials_directory())
    except ValidationError as exc:
        err = root_causes(exc)[0]
        name = str(err["loc"][0]) if err["loc"] else "settings"
        tr = cli_translator()
        fail_setting(tr, name, problem_text(tr, err, Settings))


def load_config(settings: Settings) -> TeamConfig:
    try:
        return load_team_config(settings.config_path)
    except ConfigFileError as exc:
        tr = cli_translator()
        fail_setting(tr, "ACHTERVANG_CONFIG", exc.text(tr))


class Env:
    """Settings, team config and a translator, loaded once per CLI call."""

    def __init__(self) -> None:
        self.settings = load_settings()
        self.config = load_config(self.settings)
        self.tr = translator(self.config.default_language, self.config.tz)

    def run(self, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
        async def main() -> T:
            engine = make_engine(self.settings.database_url)
            try:
                return await work(engine)
            finally:
                await engine.dispose()

        try:
            return event_loop.run(main())
        except (OSError, OperationalError) as exc:
            fail(
                self.tr._(
                    "Cannot reach the database: %(problem)s", problem=str(exc).splitlines()[0]
                )
            )

    def in_session(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        async def with_session(engine: AsyncEngine) -> T:
            if not await schema.is_current(engine):
                fail(self.tr._("The database schema is not up to date. Run: achtervang db upgrade"))
            async with make_sessionmaker(engine)() as session:
                return await work(session)

        return self.run(with_session)
