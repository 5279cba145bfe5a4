"""/calendar's subscription link: a personal secret URL (bot/operations/feeds.py) that a
phone's calendar polls, so swaps and overrides show without a new file. Made the first time
/calendar is asked for; `/calendar reset` replaces it (the old link stops working), `/calendar
stop` ends it. Only the token's hash is stored, so a link can be shown once only."""

from __future__ import annotations

from telegram import Message

from bot.handlers.context import AchtervangContext
from bot.i18n import Translator
from bot.models import FEED_CALENDAR
from bot.operations.feeds import calendar_path
from bot.services.audit import trail as audit
from bot.services.rosters import feed_tokens
from bot.texts.roster import DAY

RESET = "reset"
STOP = "stop"


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


async def offer(message: Message, context: AchtervangContext, action: str | None) -> None:
    """After the file (or instead of it): the link, unless the coach has one already."""
    runtime, tr, coach = context.runtime, context.tr, context.coach
    feeds = runtime.config.feeds
    if feeds.base_url is None:
        if action in (RESET, STOP):
            await message.reply_text(tr._("Calendar links are not set up for this team."))
        return
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        existing = await feed_tokens.of_coach(session, FEED_CALENDAR, coach.id)
        if action == STOP:
            ended = await feed_tokens.revoke(
                session, kind=FEED_CALENDAR, now=now, coach_id=coach.id
            )
            audit.record(session, at=now, action="calendar.stop", outcome="ok", actor=coach)
            await session.commit()
            await message.reply_text(
                tr._("Your calendar link no longer works.")
                if ended
                else tr._("You have no calendar link.")
            )
            return
        if existing is not None and action != RESET:
            await message.reply_text(
                tr._(
                    "Your calendar link of %(day)s still works. Lost it? /calendar reset "
                    "makes a new one.",
                    day=tr.datetime(existing.created_at, DAY),
                )
            )
            return
        token = await feed_tokens.issue(session, kind=FEED_CALENDAR, now=now, coach_id=coach.id)
        audit.record(
            session,
            at=now,
            action="calendar.reset" if existing is not None else "calendar.link",
            outcome="ok",
            actor=coach,
        )
        await session.commit()
    await message.reply_text(_link_text(tr, feeds.link(calendar_path(token)) or ""))
