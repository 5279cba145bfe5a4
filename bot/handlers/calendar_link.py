"""/calendar's subscription link: a personal secret URL (bot/operations/feeds.py) that a
phone's calendar polls, so swaps and overrides show without a new file. What is made, kept
or ended is decided in bot/services/rosters/calendar_links.py; this only words it."""

from __future__ import annotations

from telegram import Message

from bot.handlers.context import AchtervangContext
from bot.handlers.required import present
from bot.i18n import Translator
from bot.operations.feeds import calendar_path
from bot.services.rosters.calendar_links import Answer, Ask, Result, answer
from bot.texts.roster import DAY

ASKS = {"reset": Ask.RESET, "stop": Ask.STOP}


def _link_text(tr: Translator, url: str) -> str:
    return "\n".join(
        [
            tr._("📅 Your personal calendar link (keep it to yourself):"),
            url,
            tr._(
                "Add it in your calendar app as a subscription (iPhone: Settings › Calendar › "
                "Accounts › Add Subscribed Calendar; Google Calendar: Other calendars › From "
                "URL). Your shifts then stay up to date after swaps and overrides."
            ),
            tr._("Shared it by mistake? /calendar reset makes a new link; the old one stops."),
        ]
    )


def _text(tr: Translator, found: Answer, base: str) -> str:
    if found.result is Result.MADE:
        return _link_text(tr, base + calendar_path(found.token or ""))
    if found.result is Result.KEPT:
        return tr._(
            "Your calendar link of %(day)s still works. Lost it? /calendar reset makes a new one.",
            day=tr.datetime(present(found.since, "the kept link's date"), DAY),
        )
    if found.result is Result.STOPPED:
        return tr._("Your calendar link no longer works.")
    return tr._("You have no calendar link.")


async def offer(message: Message, context: AchtervangContext, ask: Ask) -> None:
    """After the file (or instead of it, for reset and stop)."""
    runtime, tr = context.runtime, context.tr
    base = runtime.config.feeds.base_url
    if base is None:
        if ask is not Ask.OFFER:
            await message.reply_text(tr._("Calendar links are not set up for this team."))
        return
    async with runtime.sessionmaker() as session:
        found = await answer(session, context.member, ask, runtime.clock.now())
        await session.commit()
    await message.reply_text(_text(tr, found, base))
