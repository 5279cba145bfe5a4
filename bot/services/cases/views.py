"""The audited entry points behind /case, its buttons and /contact: each look-up, card and
refusal is written to the audit trail in the caller's transaction, so the trail and what
the user was shown commit together.

Audit actions: `case.lookup` (outcome `ambiguous` / `not_found`), `case.card` (outcome the
visibility shown: `full` / `contact_only`, or `refused`), `case.contact` (`ok` / `refused`),
`case.list` (/mycases, `ok`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import Case, Coach
from bot.services.audit import trail as audit
from bot.services.cases.access import Visibility, relations_to, visibility
from bot.services.cases.lookup import (
    Ambiguous,
    Card,
    MyCase,
    NotFound,
    People,
    card_for,
    find_case,
    my_cases,
    record_contact,
)

NOTE_MAX = 200  # CaseContact.note


@dataclass(frozen=True)
class Shown:
    """What a look-up gives the handler: a card, the candidates, or neither."""

    card: Card | None = None
    ambiguous: Ambiguous | None = None
    not_found: bool = False
    refused: bool = False


async def look_up(
    session: AsyncSession, config: TeamConfig, viewer: Coach, text: str, now: datetime
) -> Shown:
    found = await find_case(session, text)
    if isinstance(found, Ambiguous):
        await _audit(session, now, viewer, "case.lookup", "ambiguous", text, ",".join(found.codes))
        return Shown(ambiguous=found)
    if isinstance(found, NotFound):
        await _audit(session, now, viewer, "case.lookup", "not_found", text)
        return Shown(not_found=True)
    return await show(
        session, config, viewer, found.case, now, via=f"query {text}", people=found.people
    )


async def show_by_id(
    session: AsyncSession, config: TeamConfig, viewer: Coach, case_id: int, now: datetime
) -> Shown:
    """A pressed button: the case and the viewer's access are looked up again now."""
    case = await session.get(Case, case_id)
    if case is None:
        await _audit(session, now, viewer, "case.lookup", "not_found", f"#{case_id}")
        return Shown(not_found=True)
    return await show(session, config, viewer, case, now, via="button")


async def show(
    session: AsyncSession,
    config: TeamConfig,
    viewer: Coach,
    case: Case,
    now: datetime,
    via: str,
    people: People | None = None,
) -> Shown:
    card = await card_for(session, config, viewer, case, now, people)
    if card is None:
        await _audit(session, now, viewer, "case.card", "refused", case.code, via)
        return Shown(refused=True)
    detail = f"{','.join(sorted(card.relations))}; {via}"
    await _audit(session, now, viewer, "case.card", card.visibility.value, case.code, detail)
    return Shown(card=card)


@dataclass(frozen=True)
class ContactResult:
    recorded: Case | None = None
    ambiguous: Ambiguous | None = None
    not_found: bool = False
    refused: bool = False


async def contact(
    session: AsyncSession,
    config: TeamConfig,
    coach: Coach,
    code: str,
    note: str | None,
    now: datetime,
) -> ContactResult:
    """Records today's contact, for coaches who may see the full card only."""
    found = await find_case(session, code)
    if isinstance(found, Ambiguous):
        await _audit(session, now, coach, "case.lookup", "ambiguous", code, ",".join(found.codes))
        return ContactResult(ambiguous=found)
    if isinstance(found, NotFound):
        await _audit(session, now, coach, "case.lookup", "not_found", code)
        return ContactResult(not_found=True)
    case = found.case
    relations = await relations_to(session, coach, case, now)
    if visibility(coach, relations) is not Visibility.FULL:
        await _audit(session, now, coach, "case.contact", "refused", case.code)
        return ContactResult(refused=True)
    await record_contact(session, coach, case, config.local_date(now), now, note)
    await _audit(session, now, coach, "case.contact", "ok", case.code, ",".join(sorted(relations)))
    return ContactResult(recorded=case)


async def list_mine(
    session: AsyncSession, config: TeamConfig, coach: Coach, now: datetime
) -> list[MyCase]:
    items = await my_cases(session, config, coach, config.local_date(now))
    await _audit(session, now, coach, "case.list", "ok", coach.name, f"{len(items)} families")
    return items


async def _audit(
    session: AsyncSession,
    now: datetime,
    actor: Coach,
    action: str,
    outcome: str,
    subject: str,
    detail: str | None = None,
) -> None:
    await audit.write(
        session,
        at=now,
        action=action,
        outcome=outcome,
        actor=actor,
        subject=subject[:120],
        detail=detail,
    )
