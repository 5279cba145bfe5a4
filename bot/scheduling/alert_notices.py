"""Outbox messages about crisis alerts, worded when they are sent: an alert already taken is
not sent to anyone any more."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert_text import DECLINE, TAKE, CardFacts, card
from bot.i18n import Translator
from bot.models import Alert, AlertStatus, Case, Coach, OutboxMessage
from bot.roster_text import WHEN
from bot.scheduling.notices import Obsolete, Outcome, Render, Text
from bot.services.alert_closing import OUTCOMES, REMINDER_KIND, SUMMARY_KIND
from bot.services.roster_store import is_absent
from bot.team_config import TeamConfig


async def card_facts(session: AsyncSession, alert: Alert, now: datetime) -> CardFacts:
    case = await session.get(Case, alert.case_id) if alert.case_id else None
    reporter = await session.get(Coach, alert.reporter_id)
    own = await session.get(Coach, case.coach_id) if case and case.coach_id else None
    backup = (
        await session.get(Coach, case.backup_coach_id) if case and case.backup_coach_id else None
    )
    absent = own is not None and await is_absent(session, own.id, now)
    return CardFacts(
        case=case,
        own_coach=own.name if own else None,
        own_absent=absent,
        backup=backup.name if backup else None,
        reporter=reporter.name if reporter else "?",
    )


async def alert(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    found = await session.get(Alert, row.payload["alert_id"])
    if found is None or found.status != AlertStatus.OPEN:
        return Obsolete("the alert is no longer open")
    facts = await card_facts(session, found, now)
    return Text(
        [card(tr, found, facts)],
        buttons=[
            [
                (tr._(TAKE), f"alert:take:{found.id}"),
                (tr._(DECLINE), f"alert:decline:{found.id}"),
            ]
        ],
    )


async def alert_taken(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    found = await session.get(Alert, row.payload["alert_id"])
    taker = await session.get(Coach, found.taken_by_id) if found and found.taken_by_id else None
    if found is None or taker is None:
        return Obsolete("not taken")
    return Text(
        [
            tr._(
                "%(name)s has taken your crisis alert %(code)s and is on it.",
                name=taker.name,
                code=found.case_code,
            )
        ]
    )


async def alert_unanswered(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    found = await session.get(Alert, row.payload["alert_id"])
    if found is None or found.status != AlertStatus.UNANSWERED:
        return Obsolete("answered after all")
    return Text(
        [
            tr._(
                "Nobody has taken crisis alert %(code)s. Call the crisis service or the team "
                "lead by phone now.",
                code=found.case_code,
            )
        ]
    )


async def resolve_reminder(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    found = await session.get(Alert, row.payload["alert_id"])
    if found is None or found.status != AlertStatus.TAKEN or found.taken_by_id != row.coach_id:
        return Obsolete("resolved already")
    return Text(
        [
            tr._(
                "You took crisis alert %(code)s at %(when)s and it is not resolved yet. "
                "When it is handled, send /resolve and say how it ended.",
                code=found.case_code,
                when=tr.datetime(found.taken_at, WHEN),
            )
        ]
    )


async def alert_summary(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    found = await session.get(Alert, row.payload["alert_id"])
    if found is None or found.status != AlertStatus.RESOLVED or found.outcome not in OUTCOMES:
        return Obsolete("not resolved")
    taker = await session.get(Coach, found.taken_by_id) if found.taken_by_id else None
    return Text(
        [
            "\n".join(
                [
                    tr._(
                        "Crisis alert %(code)s for your family is resolved.", code=found.case_code
                    ),
                    tr._(
                        "Raised at %(when)s: %(text)s",
                        when=tr.datetime(found.raised_at, WHEN),
                        text=found.text,
                    ),
                    tr._(
                        "Handled by %(name)s, resolved at %(when)s.",
                        name=taker.name if taker else "?",
                        when=tr.datetime(found.resolved_at, WHEN),
                    ),
                    tr._("Outcome: %(outcome)s", outcome=tr._(OUTCOMES[found.outcome])),
                    tr._("Note: %(note)s", note=found.note or "-"),
                    "",
                    tr._("Please follow up with the family today."),
                ]
            )
        ]
    )


ALERT_RENDERERS: dict[str, Render] = {
    "alert": alert,
    "alert_taken": alert_taken,
    "alert_unanswered": alert_unanswered,
    REMINDER_KIND: resolve_reminder,
    SUMMARY_KIND: alert_summary,
}
