"""`achtervang standin`: the local Bot API stand-in on its own, to try the bot without Telegram."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated

import typer

from bot.cli.common import app, cli_translator
from bot.standin import BotApiStandIn


@app.command("standin")
def standin(
    port: Annotated[int, typer.Option(help="Loopback port; 0 picks a free one.")] = 8081,
    token: Annotated[str, typer.Option(help="The token the bot must use.")] = "123456:TEST-TOKEN",
    username: Annotated[str, typer.Option(help="The bot's username.")] = "achtervang_test_bot",
) -> None:
    """Serve a local Bot API on 127.0.0.1 for `achtervang run` to talk to (Ctrl-C stops it)."""
    tr = cli_translator()

    async def serve() -> None:
        async with BotApiStandIn(token=token, bot_username=username, port=port) as server:
            typer.echo(tr._("Bot API stand-in running at %(url)s", url=server.base_url))
            typer.echo(f"TELEGRAM_API_BASE_URL={server.base_url}")
            typer.echo(f"TELEGRAM_BOT_TOKEN={token}")
            await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())
