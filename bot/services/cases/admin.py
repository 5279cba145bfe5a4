"""Team lead tools for a family's case: assign coach and backup, change the phase, set the
next evaluation date. Every change and every refusal is audited; a refusal changes nothing."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Case, Coach, Phase
from bot.services.audit import trail as audit
from bot.services.cases import holders
from bot.services.cases.caseload import count_active, is_active
from bot.services.cases.lookup import Ambiguous, Found, find_case
from bot.services.rosters.input import parse_day
from bot.services.rosters.overrides import Problem as CoachProblem
from bot.services.rosters.overrides import Refusal as CoachRefusal
from bot.services.rosters.overrides import match_coach


class Problem(enum.StrEnum):
    USAGE = "usage"
    UNKNOWN_CASE = "unknown_case"
    AMBIGUOUS_CASE = "ambiguous_case"
    UNKNOWN_COACH = "unknown_coach"
    AMBIGUOUS_COACH = "ambiguous_coach"
    SAME_COACH_AND_BACKUP = "same_coach_and_backup"
    UNKNOWN_PHASE = "unknown_phase"
    BAD_DATE = "bad_date"
    DATE_IN_PAST = "date_in_past"
    CASE_CLOSED = "case_closed"
    NOT_A_HOLDER = "not_a_holder"  # a partner, or someone deactivated: see holders


@dataclass(frozen=True)
class Refusal:
    problem: Problem
    detail: str = ""
    candidates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NeedsConfirmation:
    """The coach already holds their limit: the lead must confirm with a button."""

    case: Case
    coach: Coach
    backup: Coach | None
    families: int


@dataclass(frozen=True)
class Assignment:
    case: Case
    coach: Coach
    backup: Coach | None
    old_coach: Coach | None
    old_backup: Coach | None


@dataclass(frozen=True)
class Changed:
    case: Case
    before: str  # the phase or date as it was, '' when none


# What a lead may type for each phase: the Dutch names, and English ones.
PHASE_NAMES: dict[str, Phase] = {
    **{phase.value: phase for phase in Phase},
    "referral": Phase.AANMELDING,
    "registration": Phase.AANMELDING,
    "planning": Phase.PLAN,
    "execution": Phase.UITVOERING,
    "implementation": Phase.UITVOERING,
    "evaluation": Phase.EVALUATIE,
    "closing": Phase.AFSLUITING,
    "closure": Phase.AFSLUITING,
    "closed": Phase.AFSLUITING,
}


def _fold(text: str) -> str:
    """Case and accents ignored: 'alm-0417' and 'ALM-0417' are the same code."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


async def _find_case(session: AsyncSession, text: str) -> Case | Refusal:
    found = await find_case(session, text)
    if isinstance(found, Found):
        return found.case
    if isinstance(found, Ambiguous):
        return Refusal(Problem.AMBIGUOUS_CASE, text, found.codes)
    return Refusal(Problem.UNKNOWN_CASE, text)


async def _coach(session: AsyncSession, text: str) -> Coach | Refusal:
    found = await match_coach(session, text)
    if isinstance(found, CoachRefusal):
        problem = (
            Problem.AMBIGUOUS_COACH
            if found.problem is CoachProblem.AMBIGUOUS_COACH
            else Problem.UNKNOWN_COACH
        )
        return Refusal(problem, text, found.candidates)
    return found


def _refused(
    session: AsyncSession, lead: Coach, now: datetime, action: str, subject: str, why: Refusal
) -> Refusal:
    audit.record(
        session,
        at=now,
        action=action,
        outcome="refused",
        actor=lead,
        subject=subject[:120],
        detail=f"{why.problem}: {why.detail}" if why.detail else str(why.problem),
    )
    return why


async def _split_names(
    session: AsyncSession, words: list[str]
) -> tuple[Coach, Coach | None] | Refusal:
    """`Anna de Vries Bram` → (Anna de Vries, Bram Jansen): the whole text as one name
    first, else the first split where both halves name exactly one team member."""
    whole = await _coach(session, " ".join(words))
    if isinstance(whole, Coach):
        return whole, None
    best: Refusal = whole
    for cut in range(1, len(words)):
        coach = await _coach(session, " ".join(words[:cut]))
        if isinstance(coach, Refusal):
            continue
        backup = await _coach(session, " ".join(words[cut:]))
        if isinstance(backup, Coach):
            return coach, backup
        if best is whole:
            best = backup  # the coach was found: say what is wrong with the back-up
    return best


async def assign(
    session: AsyncSession,
    *,
    lead: Coach,
    code: str,
    names: list[str],
    quoted: bool,
    today: date,
    now: datetime,
) -> Assignment | NeedsConfirmation | Refusal:
    """`/assign CODE coach [backup]`: `names` are the coach and back-up as quoted by the
    lead, or else the words after the code. Without a back-up the current one stays, unless
    they become the coach. A coach at or above their limit needs the lead's confirmation."""
    action = "case.assign"
    case = await _find_case(session, code)
    if isinstance(case, Refusal):
        return _refused(session, lead, now, action, code, case)
    if quoted:
        found = [await _coach(session, name) for name in names]
        refusal = next((f for f in found if isinstance(f, Refusal)), None)
        if refusal is not None:
            return _refused(session, lead, now, action, case.code, refusal)
        named = [f for f in found if isinstance(f, Coach)]  # all of them, none refused
        pair: tuple[Coach, Coach | None] | Refusal = (
            named[0],
            named[1] if len(named) > 1 else None,
        )
    else:
        pair = await _split_names(session, names)
    if isinstance(pair, Refusal):
        return _refused(session, lead, now, action, case.code, pair)
    coach, backup = pair
    if backup is None and case.backup_coach_id is not None and case.backup_coach_id != coach.id:
        backup = await session.get(Coach, case.backup_coach_id)
    for person in (coach, backup):
        if person is not None and not holders.may_hold(person):
            refusal = Refusal(Problem.NOT_A_HOLDER, person.name)
            return _refused(session, lead, now, action, case.code, refusal)
    if backup is not None and backup.id == coach.id:
        refusal = Refusal(Problem.SAME_COACH_AND_BACKUP, coach.name)
        return _refused(session, lead, now, action, case.code, refusal)
    if case.coach_id != coach.id and is_active(case, today):
        families = await count_active(session, coach.id, today)
        if families >= coach.caseload_limit:
            audit.record(
                session,
                at=now,
                action=action,
                outcome="needs_confirmation",
                actor=lead,
                subject=case.code,
                detail=f"{coach.name}: {families}/{coach.caseload_limit}",
            )
            return NeedsConfirmation(case, coach, backup, families)
    return await _apply(session, lead, case, coach, backup, now)


async def confirm_assign(
    session: AsyncSession,
    *,
    lead: Coach,
    case_id: int,
    coach_id: int,
    backup_id: int | None,
    now: datetime,
) -> Assignment | Refusal:
    """The lead pressed "assign anyway": checked again, since things may have changed
    between the question and the press."""
    case = await session.get(Case, case_id)
    if case is None:
        return Refusal(Problem.UNKNOWN_CASE)
    coach = await session.get(Coach, coach_id)
    backup = await session.get(Coach, backup_id) if backup_id else None
    for person in (coach, backup):
        if person is not None and not person.active:
            return _refused(
                session, lead, now, "case.assign", case.code, Refusal(Problem.UNKNOWN_COACH)
            )
    if coach is None or (backup_id and backup is None):
        return _refused(
            session, lead, now, "case.assign", case.code, Refusal(Problem.UNKNOWN_COACH)
        )
    return await _apply(session, lead, case, coach, backup, now, confirmed=True)


async def _apply(
    session: AsyncSession,
    lead: Coach,
    case: Case,
    coach: Coach,
    backup: Coach | None,
    now: datetime,
    *,
    confirmed: bool = False,
) -> Assignment | Refusal:
    # The one invariant, checked where the write happens: whatever path (typed names, a
    # confirmation button with crafted ids) led here.
    for person in (coach, backup):
        if person is not None and not holders.may_hold(person):
            refusal = Refusal(Problem.NOT_A_HOLDER, person.name)
            return _refused(session, lead, now, "case.assign", case.code, refusal)
    old_coach = await session.get(Coach, case.coach_id) if case.coach_id else None
    old_backup = await session.get(Coach, case.backup_coach_id) if case.backup_coach_id else None
    case.coach_id = coach.id
    case.backup_coach_id = backup.id if backup else None
    audit.record(
        session,
        at=now,
        action="case.assign",
        outcome="assigned_over_limit" if confirmed else "assigned",
        actor=lead,
        subject=case.code,
        detail=(
            f"coach {_name(old_coach)} -> {coach.name}; "
            f"backup {_name(old_backup)} -> {_name(backup)}"
        ),
    )
    await session.flush()
    return Assignment(case, coach, backup, old_coach, old_backup)


def _name(coach: Coach | None) -> str:
    return coach.name if coach else "-"


async def set_phase(
    session: AsyncSession, *, lead: Coach, code: str, phase_text: str, today: date, now: datetime
) -> Changed | Refusal:
    """Afsluiting closes the case today; any other phase reopens a closed case."""
    action = "case.phase"
    case = await _find_case(session, code)
    if isinstance(case, Refusal):
        return _refused(session, lead, now, action, code, case)
    phase = PHASE_NAMES.get(_fold(phase_text))
    if phase is None:
        return _refused(
            session, lead, now, action, case.code, Refusal(Problem.UNKNOWN_PHASE, phase_text)
        )
    before = case.phase.value
    case.phase = phase
    if phase is Phase.AFSLUITING:
        case.end_date = case.end_date if case.end_date and case.end_date <= today else today
    else:
        case.end_date = None
    audit.record(
        session,
        at=now,
        action=action,
        outcome="changed",
        actor=lead,
        subject=case.code,
        detail=f"{before} -> {phase.value}",
    )
    await session.flush()
    return Changed(case, before)


async def set_evaluation(
    session: AsyncSession, *, lead: Coach, code: str, date_text: str, today: date, now: datetime
) -> Changed | Refusal:
    """The next evaluation date: today or later, never in the past."""
    action = "case.evaluation"
    case = await _find_case(session, code)
    if isinstance(case, Refusal):
        return _refused(session, lead, now, action, code, case)
    day = parse_day(date_text, today)
    if day is None:
        return _refused(session, lead, now, action, case.code, Refusal(Problem.BAD_DATE, date_text))
    if day < today:
        return _refused(
            session, lead, now, action, case.code, Refusal(Problem.DATE_IN_PAST, day.isoformat())
        )
    if not is_active(case, today):
        return _refused(session, lead, now, action, case.code, Refusal(Problem.CASE_CLOSED))
    before = case.next_evaluation.isoformat() if case.next_evaluation else ""
    case.next_evaluation = day
    audit.record(
        session,
        at=now,
        action=action,
        outcome="changed",
        actor=lead,
        subject=case.code,
        detail=f"{before or '-'} -> {day.isoformat()}",
    )
    await session.flush()
    return Changed(case, before)
