"""The sandbox: the bot, the Bot API stand-in and a web chat in one local process."""
