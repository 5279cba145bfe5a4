"""`achtervang run`: start the bot (long polling) once settings, schema and token check out."""

from __future__ import annotations

from bot import schema
from bot.cli.common import EXIT_SETTINGS, Env, app, fail, fail_setting
from bot.operations.log_setup import configure_logging


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
    from bot.operations.leadership import AlreadyRunning

    try:
        run_bot(env.settings, env.config)
    except AlreadyRunning as exc:
        fail(
            env.tr._(
                "Another achtervang run already uses this SQLite database (lock %(path)s); "
                "only one instance may run on SQLite",
                path=str(exc.lock_path),
            )
        )
