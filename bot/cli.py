"""The `achtervang` command: run the bot, manage the schema, enrol people, import data."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot import schema
from bot.db import make_engine, make_sessionmaker
from bot.i18n import Translator, translator
from bot.log_setup import configure_logging
from bot.private_files import restrict_process_umask
from bot.settings import Settings, credentials_directory
from bot.team_config import ConfigFileError, TeamConfig, load_team_config

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
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "settings"
        fail_setting(cli_translator(), name, err["msg"])


def load_config(settings: Settings) -> TeamConfig:
    try:
        return load_team_config(settings.config_path)
    except ConfigFileError as exc:
        fail_setting(cli_translator(), "ACHTERVANG_CONFIG", str(exc))


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
            return asyncio.run(main())
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


def _migrate(step: Callable[[AsyncEngine], Awaitable[None]]) -> None:
    env = Env()

    async def migrate_and_read(engine: AsyncEngine) -> str | None:
        await step(engine)
        return await schema.current_revision(engine)

    revision = env.run(migrate_and_read)
    typer.echo(env.tr._("Database schema is at %(revision)s.", revision=revision or "base"))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Bring the database to the current schema (or to REVISION)."""
    _migrate(lambda engine: schema.upgrade(engine, revision))


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, or base.")],
) -> None:
    """Take the schema back to REVISION (base removes every table)."""
    _migrate(lambda engine: schema.downgrade(engine, revision))


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


@app.command("run")
def run() -> None:
    """Start the bot (long polling)."""
    from bot.runner import check_token, run_bot

    env = Env()
    configure_logging(env.settings.log_level, env.settings.log_format, env.settings.token)
    if env.settings.token is None:
        fail_setting(
            env.tr,
            "TELEGRAM_BOT_TOKEN",
            env.tr._("missing; create a bot with @BotFather (see README)"),
        )
    if not env.run(schema.is_current):
        fail(
            env.tr._("The database schema is not up to date. Run: achtervang db upgrade"),
            EXIT_SETTINGS,
        )
    from telegram.error import InvalidToken, NetworkError

    try:
        check_token(env.settings)
    except InvalidToken:
        fail_setting(env.tr, "TELEGRAM_BOT_TOKEN", env.tr._("Telegram does not accept this token"))
    except NetworkError as exc:
        fail(
            env.tr._(
                "Cannot reach Telegram at %(url)s: %(problem)s",
                url=env.settings.telegram_api_base_url,
                problem=str(exc),
            )
        )
    run_bot(env.settings, env.config)


from bot import (  # noqa: E402,F401 - registers commands
    cli_audit,
    cli_backup,
    cli_cases,
    cli_coach,
    cli_import,
    cli_roster,
    cli_sandbox,
    cli_standin,
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
