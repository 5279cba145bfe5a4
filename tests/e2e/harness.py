"""Drives the real PTB Application through the Bot API stand-in, as coaches would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telegram.ext import Application

from bot.scheduling.clock import ManualClock
from bot.scheduling.jobs import run_alert_tick
from bot.standin import BotApiStandIn
from bot.transport.poller import InboxPoller

# Where running_bot keeps the inbox poller in bot_data.
INBOX = "inbox_poller"


@dataclass
class Person:
    """A Telegram user talking to the bot in their private chat (or a group, when given)."""

    standin: BotApiStandIn
    app: Application
    user_id: int
    name: str

    async def say(
        self, text: str, *, chat_id: int | None = None, date: datetime | None = None
    ) -> dict:
        """Sends `text` (written at `date`, if it reaches the bot late); returns the message."""
        sent = await self.standin.send_message(
            self.user_id, text, chat_id=chat_id, date=int(date.timestamp()) if date else None
        )
        await settle(self.standin, self.app)
        return sent

    async def edit(self, message: dict, text: str) -> None:
        """Edits a message this person sent earlier."""
        await self.standin.edit_message(
            self.user_id, message["message_id"], text, chat_id=message["chat"]["id"]
        )
        await settle(self.standin, self.app)

    async def press(self, message: dict, callback_data: str) -> None:
        await self.standin.press_button(
            self.user_id, message["chat"]["id"], message["message_id"], callback_data
        )
        await settle(self.standin, self.app)

    async def reply(self, chat_id: int | None = None) -> dict:
        """The next thing the bot showed in this chat (a new message or an edit)."""
        return await self.standin.next_message(chat_id or self.user_id, timeout=5)

    async def ask(self, text: str) -> str:
        await self.say(text)
        return (await self.reply())["text"]

    async def expect_nothing_more(self, chat_id: int | None = None) -> None:
        await self.standin.expect_silence(chat_id or self.user_id, seconds=0.05)


def inbox_of(app: Application) -> InboxPoller:
    return app.bot_data[INBOX]


async def settle(standin: BotApiStandIn, app: Application) -> None:
    """Returns once the bot has fetched every pending update and finished handling it.

    The inbox confirms a batch (asks for the next offset) only after it stored it and started
    handling each update, and is idle only once each is handled, so no sleeps are needed.
    """
    await standin.wait_until_delivered(timeout=5)
    await inbox_of(app).idle()


def buttons(message: dict) -> dict[str, str]:
    """Button text → callback data of an inline keyboard."""
    markup = message.get("reply_markup") or {}
    return {
        button["text"]: button["callback_data"]
        for row in markup.get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    }


async def tick_at(app: Application, clock: ManualClock, instant: datetime) -> None:
    """Moves the test clock to `instant` and runs the alert tick (escalations, visit steps)."""
    clock.set(instant)
    await run_alert_tick(app)
