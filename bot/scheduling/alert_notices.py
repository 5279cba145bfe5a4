"""Outbox messages about crisis alerts, worded when they are sent: an alert already taken is
not sent to anyone any more."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.util import identity_key

from bot.config.team import TeamConfig
from bot.i18n import Translator
from bot.models import ALERT_SAFETY, Alert, AlertStatus, Case, Coach, OutboxMessage
from bot.scheduling.notices import Obsolete, Outcome, Render, Text
from bot.services.alerts.closing import OUTCOMES, REMINDER_KIND, SUMMARY_KIND
from bot.services.rosters.store import is_absent
from bot.texts.alerts import DECLINE, TAKE, CardFacts, card
from bot.texts.roster import WHEN

# Built once: every alert message is worded with these.
_COACHES = select(Coach).where(Coach.id.in_(bindparam("ids", expanding=True)))


async def _coaches(session: AsyncSession, ids: list[int | None]) -> dict[int, Coach | None]:
    """By id: those the session holds (as it does for the /crisis handler) from it, the rest
    in one query rather than one each."""
    wanted = {i for i in ids if i is not None}
    missing = [i for i in wanted if identity_key(Coach, i) not in session.identity_map]
    found = {c.id: c for c in await session.scalars(_COACHES, {"ids": missing})} if missing else {}
    return {i: found.get(i) or await session.get(Coach, i) for i in wanted}


_ALERT_AND_CASE = (
    select(Alert, Case).outerjoin(Case, Case.id == Alert.case_id).where(Alert.id == bindparam("id"))
)


async def _alert_and_case(session: AsyncSession, alert_id: int) -> tuple[Alert | None, Case | None]:
    """In one round trip, unless the session holds the alert (as it does for the /crisis
    handler). The case is returned to keep it referenced, so card_facts finds it held."""
    if identity_key(Alert, alert_id) in session.identity_map:
        return await session.get(Alert, alert_id), None
    found = (await session.execute(_ALERT_AND_CASE, {"id": alert_id})).first()
    return (found[0], found[1]) if found else (None, None)


async def card_facts(session: AsyncSession, alert: Alert, now: datetime) -> CardFacts:
    if alert.kind == ALERT_SAFETY:
        from bot.services.visits.lifecycle import safety_facts

        safety = await safety_facts(session, alert)
        coach = safety.coach if safety else "?"
        return CardFacts(None, None, False, None, coach, safety=safety)
    case = await session.get(Case, alert.case_id) if alert.case_id else None
    own_id, backup_id = (case.coach_id, case.backup_coach_id) if case else (None, None)
    coaches = await _coaches(session, [alert.reporter_id, own_id, backup_id])
    reporter = coaches.get(alert.reporter_id)
    own = coaches.get(own_id) if own_id is not None else None
    backup = coaches.get(backup_id) if backup_id is not None else None
    absent = own is not None and await is_absent(session, own.id, now)
    return CardFacts(
        case=case,
        own_coach=own.name if own else None,
        own_absent=absent,
        backup=backup.name if backup else None,
        reporter=reporter.name if reporter else "?",
        reporter_phone=reporter.phone if reporter else None,
        own_phone=own.phone if own else None,
        backup_phone=backup.phone if backup else None,
    )


async def alert(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    found, _case = await _alert_and_case(session, row.payload["alert_id"])
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
    if found.kind == ALERT_SAFETY:
        return Text(
            [
                tr._(
                    "%(name)s has taken your safety alert and is on it: they will call you.",
                    name=taker.name,
                )
            ]
        )
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
    if found.kind == ALERT_SAFETY:
        if row.coach_id == found.reporter_id:
            return Obsolete("the coach in danger is not told nobody came")
        coach = await session.get(Coach, found.reporter_id)
        return Text(
            [
                tr._(
                    "Nobody has taken the safety alert for %(name)s. Call them now (%(phone)s); "
                    "no answer and danger? Call 112.",
                    name=coach.name if coach else "?",
                    phone=(coach.phone if coach else None) or tr._("not known"),
                )
            ]
        )
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
    if found.taken_at is None:  # a taken alert always has its time; the type cannot say so
        return Obsolete("not taken")
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
    if found.resolved_at is None:  # a resolved alert always has its time
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
