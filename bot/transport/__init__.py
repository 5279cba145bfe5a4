"""How updates reach the handlers and messages leave: the durable inbox, per-chat lanes and
Telegram's flood limits."""
