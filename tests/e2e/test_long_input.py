"""Whatever someone sends, a reply quotes at most a short excerpt of it and stays within
Telegram's 4,096 characters: every command, with one long argument, as a team lead."""

import pytest

from bot.handlers import registry
from bot.models import Role

LONG = "Ж" * 4000  # Telegram lets a person send up to 4,096 characters


@pytest.mark.parametrize("name", [spec.name for spec in registry.COMMANDS])
async def test_a_long_argument_is_never_echoed_in_full(name, member, standin, caplog):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD)
    shown = len(standin.bot_messages(sara.user_id))
    for text in (f"/{name} {LONG}", f"/{name} GZ-1 {LONG}"):
        await sara.say(text)
        await sara.say(LONG)  # the next step of a conversation, if one started
        await sara.say("/cancel")
    for message in standin.bot_messages(sara.user_id)[shown:]:
        body = message.get("text", "")
        assert len(body) <= 4096
        if not body.startswith("🚨"):  # an alert card carries the crisis text itself
            assert body.count("Ж") <= 100, body[:200]
    assert not [r for r in caplog.records if r.name == "bot.handlers.fallback"]
