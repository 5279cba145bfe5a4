"""A coach's calendar subscription link (/calendar): made the first time, kept while it
works (it cannot be shown again: only its hash is stored), replaced on reset, ended on stop.
No Telegram here."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import FEED_CALENDAR, Coach
from bot.services.audit import trail as audit
from bot.services.rosters import feed_tokens


class Ask(enum.StrEnum):
    OFFER = "offer"  # /calendar: a link unless there is one
    RESET = "reset"  # /calendar reset: a new link, the old one ends
    STOP = "stop"  # /calendar stop: no link


class Result(enum.Enum):
    MADE = "made"  # `token` is new: show it now, it cannot be shown later
    KEPT = "kept"  # a working link exists since `since`
    STOPPED = "stopped"
    NONE = "none"  # stop asked, there was no link


@dataclass(frozen=True)
class Answer:
    result: Result
    token: str | None = None
    since: datetime | None = None


async def answer(session: AsyncSession, coach: Coach, ask: Ask, now: datetime) -> Answer:
    """The caller commits."""
    existing = await feed_tokens.of_coach(session, FEED_CALENDAR, coach.id)
    if ask is Ask.STOP:
        ended = await feed_tokens.revoke(session, kind=FEED_CALENDAR, now=now, coach_id=coach.id)
        if not ended:
            return Answer(Result.NONE)
        audit.record(session, at=now, action="calendar.stop", outcome="ok", actor=coach)
        return Answer(Result.STOPPED)
    if existing is not None and ask is Ask.OFFER:
        return Answer(Result.KEPT, since=existing.created_at)
    token = await feed_tokens.issue(session, kind=FEED_CALENDAR, now=now, coach_id=coach.id)
    action = "calendar.reset" if existing is not None else "calendar.link"
    audit.record(session, at=now, action=action, outcome="ok", actor=coach)
    return Answer(Result.MADE, token=token)
