"""Refusals on record, without letting a flood fill the audit trail: one row per stranger (or
foreign group) per window, and the caller answers only when a row was written."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEvent
from bot.services.audit import trail as audit

WINDOW = timedelta(hours=1)
STRANGER = "access.refused"
FOREIGN_CHAT = "chat.left"


async def note_stranger(session: AsyncSession, telegram_id: int, kind: str, now: datetime) -> bool:
    """Records that someone not (or no longer) a member was refused; False when they already
    were within the window, and then nothing is written."""
    if await _seen(session, STRANGER, now, telegram_id=telegram_id):
        return False
    await audit.write(
        session,
        at=now,
        action=STRANGER,
        outcome="not_member",
        telegram_id=telegram_id,
        subject=kind[:40],
    )
    return True


async def note_foreign_chat(session: AsyncSession, chat_id: int, now: datetime) -> bool:
    """Records that the bot left a group that is not the team's; False within the window."""
    if await _seen(session, FOREIGN_CHAT, now, subject=str(chat_id)):
        return False
    await audit.write(
        session, at=now, action=FOREIGN_CHAT, outcome="not_team_chat", subject=str(chat_id)
    )
    return True


async def _seen(
    session: AsyncSession,
    action: str,
    now: datetime,
    *,
    telegram_id: int | None = None,
    subject: str | None = None,
) -> bool:
    query = select(AuditEvent.id).where(AuditEvent.action == action, AuditEvent.at > now - WINDOW)
    if telegram_id is not None:
        query = query.where(AuditEvent.actor_telegram_id == telegram_id)
    if subject is not None:
        query = query.where(AuditEvent.subject == subject)
    return await session.scalar(query.limit(1)) is not None
