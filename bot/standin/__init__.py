"""A local stand-in for the Telegram Bot API, for tests and the sandbox."""

from bot.standin.standin import BotApiStandIn, NoBotOutput

__all__ = ["BotApiStandIn", "NoBotOutput"]
