"""Outbox messages about home visits, worded when they are sent: a coach who checked out or
extended in the meantime gets nothing stale."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.i18n import Translator
from bot.models import OutboxMessage, Visit, VisitStage, VisitStatus
from bot.scheduling.notices import Obsolete, Outcome, Render, Text
from bot.services.visits.deadlines import ALERTED_KIND, LAST_CALL_KIND, REMINDER_KIND
from bot.texts import visits as visit_text


async def _visit(session: AsyncSession, row: OutboxMessage, stage: VisitStage) -> Visit | None:
    visit = await session.get(Visit, row.payload["visit_id"])
    if visit is None or visit.status != VisitStatus.RUNNING or visit.stage != stage:
        return None
    return visit


async def reminder(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    visit = await _visit(session, row, VisitStage.REMINDED)
    if visit is None:
        return Obsolete("checked out or extended")
    return Text(
        [visit_text.reminder(tr, visit)],
        buttons=visit_text.visit_buttons(tr, visit, config.visits.extend_by),
    )


async def last_call(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    visit = await _visit(session, row, VisitStage.LAST_CALL)
    if visit is None or visit.expected_end is None:
        return Obsolete("checked out or extended")
    alarm = visit.expected_end + config.visits.grace + config.visits.last_call
    return Text(
        [visit_text.last_call(tr, visit, alarm)],
        buttons=visit_text.visit_buttons(tr, visit, config.visits.extend_by),
    )


async def alerted(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    visit = await _visit(session, row, VisitStage.ALERTED)
    if visit is None:
        return Obsolete("checked out")
    return Text(
        [visit_text.alerted(tr)], buttons=[[(tr._(visit_text.SAFE), f"visit:safe:{visit.id}")]]
    )


RENDERERS: dict[str, Render] = {
    REMINDER_KIND: reminder,
    LAST_CALL_KIND: last_call,
    ALERTED_KIND: alerted,
}
