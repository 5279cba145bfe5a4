"""The waitlist in the database: adding referrals, the acceptance decision, the ranked list,
one family's position and expected start, and intake into a coach's caseload. No Telegram."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import Case, Coach, Phase, Role
from bot.models.waitlist import WaitlistEntry
from bot.models.waitlist_terms import Concern, EntryStatus
from bot.services.alerts import acute
from bot.services.alerts.codes import find_case, valid_code
from bot.services.audit import trail as audit
from bot.services.cases import holders
from bot.services.cases.caseload import Load, caseloads, is_active
from bot.services.rosters.overrides import Refusal as CoachRefusal
from bot.services.rosters.overrides import match_coach
from bot.services.rosters.store import is_absent, load_roster
from bot.services.waitlist.priority import Scored, expected_start, ranked

LIVE = (EntryStatus.REFERRED, EntryStatus.WAITING)


class Problem(enum.StrEnum):
    BAD_CODE = "bad_code"
    DUPLICATE = "duplicate"  # already on the list
    ALREADY_A_CASE = "already_a_case"  # already has a coach
    BAD_COMPLEXITY = "bad_complexity"
    BAD_COST = "bad_cost"
    FUTURE_REFERRAL = "future_referral"
    NOT_ON_LIST = "not_on_list"
    NOT_ACCEPTED = "not_accepted"  # intake before the acceptance decision
    UNKNOWN_COACH = "unknown_coach"
    AMBIGUOUS_COACH = "ambiguous_coach"
    COACH_FULL = "coach_full"
    COACH_ABSENT = "coach_absent"


@dataclass(frozen=True)
class Refused:
    problem: Problem
    detail: str = ""
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Referral:
    code: str
    referral_date: date
    referrer: str | None
    complexity: int
    cost_band: int
    concern: Concern


@dataclass(frozen=True)
class Placed:
    """A family on the ranked list: its position (1 = first), score parts and contact."""

    position: int
    entry: WaitlistEntry
    scored: Scored
    contact: str | None


@dataclass(frozen=True)
class Intaken:
    entry: WaitlistEntry
    case: Case
    coach: Coach


async def _live(session: AsyncSession, code: str) -> WaitlistEntry | None:
    return await session.scalar(
        select(WaitlistEntry).where(
            func.upper(WaitlistEntry.code) == code.upper(), WaitlistEntry.status.in_(LIVE)
        )
    )


async def check_referral(session: AsyncSession, referral: Referral, today: date) -> Refused | None:
    """Why this referral cannot go on the list, or None."""
    if not valid_code(referral.code):
        return Refused(Problem.BAD_CODE, referral.code)
    if not 1 <= referral.complexity <= 5:
        return Refused(Problem.BAD_COMPLEXITY, str(referral.complexity))
    if not 1 <= referral.cost_band <= 4:
        return Refused(Problem.BAD_COST, str(referral.cost_band))
    if referral.referral_date > today:
        return Refused(Problem.FUTURE_REFERRAL, referral.referral_date.isoformat())
    if await _live(session, referral.code) is not None:
        return Refused(Problem.DUPLICATE, referral.code.upper())
    case = await find_case(session, referral.code)
    if case is not None and case.coach_id is not None and is_active(case, today):
        return Refused(Problem.ALREADY_A_CASE, case.code)
    return None


async def match_team_member(session: AsyncSession, text: str) -> Coach | Refused:
    """An active team member by (a unique start of) their name, as /override matches them."""
    found = await match_coach(session, text)
    if not isinstance(found, CoachRefusal):
        # A waitlist contact or an intake coach holds the family: see holders.
        return found if holders.may_hold(found) else Refused(Problem.UNKNOWN_COACH, text)
    if found.candidates:
        return Refused(Problem.AMBIGUOUS_COACH, text, tuple(found.candidates))
    return Refused(Problem.UNKNOWN_COACH, text)


async def contact_of_the_day(
    session: AsyncSession, config: TeamConfig, now: datetime
) -> Coach | None:
    """Today's bureaudienst: the team's first line, so the default contact for a new family."""
    state = await load_roster(session, config, now, now + timedelta(seconds=1))
    if not state.config.duties.rostered("bureaudienst"):
        return None
    shift = state.holder_at("bureaudienst", now)
    if shift is None:
        day = now.astimezone(config.tz).replace(hour=12, minute=0)
        shift = state.holder_at("bureaudienst", day) if day > now else None
    coach = state.coach(shift.holder if shift else None)
    return coach if holders.may_hold(coach) else None


async def add(
    session: AsyncSession,
    config: TeamConfig,
    referral: Referral,
    *,
    actor: Coach | None,
    now: datetime,
    contact: Coach | None = None,
    accepted: bool = False,
) -> WaitlistEntry | Refused:
    """Puts a referral on the list (awaiting the acceptance decision unless `accepted`).
    Acute safety never waits: such an entry is accepted at once, ranks first and raises the
    crisis alert. The caller commits."""
    refused = await check_referral(session, referral, config.local_date(now))
    if refused is not None:
        return refused
    contact = contact or await contact_of_the_day(session, config, now)
    if contact is not None:
        holders.require_holder(contact)
    decided = accepted or referral.concern == Concern.ACUTE
    entry = WaitlistEntry(
        code=referral.code.upper(),
        referral_date=referral.referral_date,
        referrer=referral.referrer,
        complexity=referral.complexity,
        cost_band=referral.cost_band,
        concern=referral.concern,
        contact_coach_id=contact.id if contact else None,
        status=EntryStatus.WAITING if decided else EntryStatus.REFERRED,
        created_at=now,
        created_by_id=actor.id if actor else None,
        decided_at=now if decided else None,
    )
    session.add(entry)
    await session.flush()
    audit.record(
        session,
        at=now,
        action="waitlist.add",
        outcome=entry.status.value,
        actor=actor,
        subject=entry.code,
        detail=f"complexity {entry.complexity}, cost band {entry.cost_band}, {entry.concern}",
    )
    if entry.concern == Concern.ACUTE:
        await acute.raise_alert(session, config, entry, reporter=actor, now=now)
    return entry


async def decide(
    session: AsyncSession, entry_id: int, accept: bool, *, actor: Coach, now: datetime
) -> WaitlistEntry | Refused:
    """The acceptance decision on a referral; only a referral still awaiting it changes."""
    entry = await session.get(WaitlistEntry, entry_id)
    if entry is None or entry.status != EntryStatus.REFERRED:
        return Refused(Problem.NOT_ON_LIST, entry.code if entry else "")
    entry.status = EntryStatus.WAITING if accept else EntryStatus.DECLINED
    entry.decided_at = now
    if not accept:
        entry.closed_at = now
    audit.record(
        session,
        at=now,
        action="waitlist.decision",
        outcome=entry.status.value,
        actor=actor,
        subject=entry.code,
    )
    return entry


async def live_entries(session: AsyncSession) -> list[WaitlistEntry]:
    return list(await session.scalars(select(WaitlistEntry).where(WaitlistEntry.status.in_(LIVE))))


async def ranked_list(session: AsyncSession, config: TeamConfig, now: datetime) -> list[Placed]:
    """Accepted entries in priority order (referrals awaiting a decision are not ranked)."""
    entries = [e for e in await live_entries(session) if e.status == EntryStatus.WAITING]
    by_code = {e.code: e for e in entries}
    names: dict[int | None, str] = dict((await session.execute(select(Coach.id, Coach.name))).all())
    order = ranked(entries, config.local_date(now), config.waitlist)
    return [
        Placed(number, by_code[s.code], s, names.get(by_code[s.code].contact_coach_id))
        for number, s in enumerate(order, start=1)
    ]


async def undecided(session: AsyncSession) -> list[WaitlistEntry]:
    return list(
        await session.scalars(
            select(WaitlistEntry)
            .where(WaitlistEntry.status == EntryStatus.REFERRED)
            .order_by(WaitlistEntry.created_at)
        )
    )


async def intake_rate(session: AsyncSession, config: TeamConfig, now: datetime) -> int:
    """Intakes in the last `rate_weeks`: how fast places have been freeing up."""
    since = now - timedelta(weeks=config.waitlist.rate_weeks)
    return (
        await session.scalar(
            select(func.count())
            .select_from(WaitlistEntry)
            .where(WaitlistEntry.status == EntryStatus.INTAKE, WaitlistEntry.closed_at >= since)
        )
        or 0
    )


async def expected(
    session: AsyncSession, config: TeamConfig, placed: Placed, now: datetime
) -> date | None:
    intakes = await intake_rate(session, config, now)
    today = config.local_date(now)
    return expected_start(placed.position, intakes, config.waitlist.rate_weeks, today)


async def with_room(session: AsyncSession, config: TeamConfig, now: datetime) -> list[Load]:
    """Coaches below their caseload limit and not absent now, most room first."""
    loads = await caseloads(session, config.local_date(now))
    return [
        load
        for load in loads
        if load.coach.role is Role.COACH
        and not load.full
        and not await is_absent(session, load.coach.id, now)
    ]


async def intake(
    session: AsyncSession,
    config: TeamConfig,
    code: str,
    coach_name: str,
    *,
    actor: Coach,
    now: datetime,
) -> Intaken | Refused:
    """Moves a waiting family into the coach's caseload as a case in phase intake."""
    entry = await _live(session, code)
    if entry is None:
        return Refused(Problem.NOT_ON_LIST, code.upper())
    if entry.status != EntryStatus.WAITING:
        return Refused(Problem.NOT_ACCEPTED, entry.code)
    coach = await match_team_member(session, coach_name)
    if isinstance(coach, Refused):
        return coach
    today = config.local_date(now)
    load = next((x for x in await caseloads(session, today) if x.coach.id == coach.id), None)
    if load is None or load.full:
        families = load.families if load else 0
        return Refused(Problem.COACH_FULL, coach.name, (str(families), str(coach.caseload_limit)))
    if await is_absent(session, coach.id, now):
        return Refused(Problem.COACH_ABSENT, coach.name)
    case = await find_case(session, entry.code)
    if case is None:
        case = Case(code=entry.code)
        session.add(case)
    case.coach_id = coach.id
    case.phase = Phase.INTAKE
    case.start_date = today
    case.end_date = None
    case.referrer = entry.referrer
    await session.flush()
    entry.status = EntryStatus.INTAKE
    entry.closed_at = now
    entry.case_id = case.id
    audit.record(
        session,
        at=now,
        action="waitlist.intake",
        outcome="ok",
        actor=actor,
        subject=entry.code,
        detail=f"coach {coach.name}",
    )
    return Intaken(entry, case, coach)
