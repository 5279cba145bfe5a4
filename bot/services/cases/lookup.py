"""Finding a family by its case code, what its card holds for a given viewer, recording a
contact from the field, and a coach's own list of families. No Telegram here.

The card is asked for from the road, so it is built from a handful of small indexed queries:
no whole roster, no list of every coach. Who holds bureaudienst or piket right now is worked
out from the rotation plus only the overrides and absences in force at this instant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.config.duties import Duty
from bot.config.team import TeamConfig
from bot.models import (
    Case,
    CaseContact,
    CaseCover,
    Coach,
    CoverStatus,
    Phase,
    SafetyStatus,
)
from bot.services.cases.access import Relation, Visibility, relations_to, visibility
from bot.services.cases.caseload import active_clause
from bot.services.rosters import in_force
from bot.services.rosters.core import Shift

# More matches than this are not worth a list of buttons: the coach types more of the code.
MAX_MATCHES = 8
# Used when the team config has no [cases] section.
STALE_CONTACT_DAYS = 14
# The duties a caller can ring now; the second line is reached through the alert chain.
CONTACT_DUTIES: tuple[Duty, ...] = ("bureaudienst", "piket")
_QUERY = re.compile(r"[A-Z0-9-]{1,32}")


# --- finding a case ------------------------------------------------------------------------

# The statements a card needs are built once with bind parameters: on this hot path building
# SQLAlchemy statements cost as much as running them.


@dataclass(frozen=True)
class People:
    """The coaches named on a family's card: its coach, backup and covering coaches."""

    coaches: dict[int, Coach]
    covering: list[int]  # ids of the covering coaches, by name


@dataclass(frozen=True)
class Found:
    case: Case
    people: People | None = None  # loaded with the case when that came at no extra cost


@dataclass(frozen=True)
class Ambiguous:
    matches: list[tuple[str, int]]  # (code, case id): at most MAX_MATCHES, in code order
    more: bool  # there were more than MAX_MATCHES

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.matches]


@dataclass(frozen=True)
class NotFound:
    query: str


def normalise_query(text: str) -> str:
    """Spaces dropped, letters upper-cased: ' alm-04 17' → 'ALM-0417'."""
    return "".join(text.split()).upper()


async def find_case(session: AsyncSession, text: str) -> Found | Ambiguous | NotFound:
    """An exact (case-insensitive) code wins; else a unique prefix; else the candidates."""
    query = normalise_query(text)
    if not _QUERY.fullmatch(query):
        return NotFound(query[:32])
    # Codes are stored upper-case (the CSV import and the CLI normalise them): the unique
    # index answers the usual exact look-up without a scan.
    rows = (await session.execute(_EXACT_WITH_PEOPLE, {"code": query})).all()
    if rows:
        return Found(rows[0][0], _as_people((coach, covering) for _, coach, covering in rows))
    # Codes entered elsewhere may not be normalised; this scans, but only on a miss.
    stored = func.upper(func.replace(Case.code, " ", ""))
    cases = list(
        await session.scalars(
            select(Case)
            .where(stored.like(query + "%"))
            .order_by(func.length(stored), Case.code)
            .limit(MAX_MATCHES + 1)
        )
    )
    if not cases:
        return NotFound(query)
    if normalise_query(cases[0].code) == query or len(cases) == 1:
        return Found(cases[0])
    matches = sorted((case.code, case.id) for case in cases[:MAX_MATCHES])
    return Ambiguous(matches, more=len(cases) > MAX_MATCHES)


# --- the card ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """A coach named on a card, and whether the bot can reach them now."""

    name: str
    reachable: bool  # enrolled, active and not absent now
    absent: bool
    phone: str | None = None  # staff number, for a colleague to call


@dataclass(frozen=True)
class Details:
    """The case data proper: only ever built for a viewer with the full card."""

    phase: Phase
    start_date: date | None
    next_evaluation: date | None
    evaluation_overdue: bool
    safety_status: SafetyStatus
    safety_date: date | None
    referrer: str | None
    last_contact: date | None


@dataclass(frozen=True)
class Card:
    code: str
    visibility: Visibility
    relations: frozenset[Relation]
    coach: Contact | None
    backup: Contact | None
    covering: tuple[Contact, ...]  # accepted covers while the coach is away
    on_duty: tuple[Shift, ...]  # bureaudienst or piket in force now (holder None: a gap)
    details: Details | None  # None unless visibility is FULL


def _live_covers(case_id: object) -> Select[int]:
    return select(CaseCover.coach_id).where(
        CaseCover.case_id == case_id,
        CaseCover.status == CoverStatus.ACCEPTED,
        CaseCover.released_at.is_(None),
    )


_COVERS = _live_covers(bindparam("case_id"))
# The family's coach, backup and covering coaches, each marked whether covering.
_PEOPLE = (
    select(Coach, Coach.id.in_(_COVERS))
    .where(
        or_(
            Coach.id == bindparam("coach_id"),
            Coach.id == bindparam("backup_id"),
            Coach.id.in_(_COVERS),
        )
    )
    .order_by(Coach.name)
)
# The usual exact code, and the people on its card in the same round trip: one row per
# coach (one row with no coach when nobody is named). The covers are found by the code
# through an alias, not correlated with the outer case: PostgreSQL would run a correlated
# subquery once per coach in the team.
_COVERED = aliased(Case)
_CODE_COVERS = _live_covers(_COVERED.id).where(_COVERED.code == bindparam("code"))
_EXACT_WITH_PEOPLE = (
    select(Case, Coach, Coach.id.in_(_CODE_COVERS))
    .outerjoin(
        Coach,
        or_(
            Coach.id == Case.coach_id,
            Coach.id == Case.backup_coach_id,
            Coach.id.in_(_CODE_COVERS),
        ),
    )
    .where(Case.code == bindparam("code"))
    .order_by(Coach.name)
)


def _as_people(rows: Iterable[tuple[Coach | None, bool | None]]) -> People:
    people = People({}, [])
    for coach, is_covering in rows:
        if coach is not None:
            people.coaches[coach.id] = coach
            if is_covering:
                people.covering.append(coach.id)
    return people


async def _people(session: AsyncSession, case: Case) -> People:
    rows = await session.execute(
        _PEOPLE,
        {"case_id": case.id, "coach_id": case.coach_id, "backup_id": case.backup_coach_id},
    )
    return _as_people((coach, covering) for coach, covering in rows)


async def card_for(
    session: AsyncSession,
    config: TeamConfig,
    viewer: Coach,
    case: Case,
    now: datetime,
    people: People | None = None,
) -> Card | None:
    """The card `viewer` may see at `now`, or None when they may see nothing at all."""
    if people is None:
        people = await _people(session, case)
    coaches, cover_ids = people.coaches, people.covering
    relations = await relations_to(session, viewer, case, now, covering_ids=cover_ids)
    seen = visibility(viewer, relations)
    if seen is Visibility.NOTHING:
        return None
    now_in_force = await in_force.load(session, config, now)

    def contact(coach_id: int | None) -> Contact | None:
        coach = coaches.get(coach_id) if coach_id is not None else None
        if coach is None:
            return None
        away = coach.id in now_in_force.absent
        enrolled = coach.telegram_user_id is not None and coach.enrolled_at is not None
        return Contact(coach.name, enrolled and coach.active and not away, away, coach.phone)

    details = None
    if seen is Visibility.FULL:
        today = config.local_date(now)
        details = Details(
            phase=case.phase,
            start_date=case.start_date,
            next_evaluation=case.next_evaluation,
            evaluation_overdue=case.next_evaluation is not None and case.next_evaluation < today,
            safety_status=case.safety_status,
            safety_date=case.safety_date,
            referrer=case.referrer,
            last_contact=case.last_contact,
        )
    return Card(
        code=case.code,
        visibility=seen,
        relations=relations,
        coach=contact(case.coach_id),
        backup=contact(case.backup_coach_id),
        covering=tuple(c for c in map(contact, cover_ids) if c is not None),
        on_duty=tuple(on_duty_now(config, now_in_force)),
        details=details,
    )


def on_duty_now(config: TeamConfig, now_in_force: in_force.InForce) -> list[Shift]:
    """Who holds bureaudienst or piket at this instant (only duties held at this hour). Only
    each shift's holder (or absent holder) is meant to be shown: its span is cut to the
    instant."""
    duties = [d for d in CONTACT_DUTIES if d in now_in_force.config.duties.rostered_duties()]
    shifts = (now_in_force.holder(duty) for duty in duties)
    return [shift for shift in shifts if shift is not None]


# --- contacts and my families --------------------------------------------------------------


async def record_contact(
    session: AsyncSession,
    coach: Coach,
    case: Case,
    today: date,
    now: datetime,
    note: str | None = None,
) -> CaseContact:
    """Today's contact with the family; last_contact never moves back in time."""
    if case.last_contact is None or case.last_contact < today:
        case.last_contact = today
    contact = CaseContact(
        case_id=case.id, coach_id=coach.id, on=today, recorded_at=now, note=note or None
    )
    session.add(contact)
    await session.flush()
    return contact


@dataclass(frozen=True)
class MyCase:
    case: Case
    relation: Relation  # OWN, BACKUP or COVERING
    evaluation_overdue: bool
    contact_stale: bool  # no contact recorded, or longer ago than the threshold


def stale_contact_days(config: TeamConfig) -> int:
    cases = getattr(config, "cases", None)
    return getattr(cases, "stale_contact_days", STALE_CONTACT_DAYS)


def order_my_cases(items: list[MyCase]) -> list[MyCase]:
    """Overdue evaluations first, then stale contacts, then by code."""
    return sorted(items, key=lambda m: (not m.evaluation_overdue, not m.contact_stale, m.case.code))


async def my_cases(
    session: AsyncSession, config: TeamConfig, coach: Coach, today: date
) -> list[MyCase]:
    covered = select(CaseCover.case_id).where(
        CaseCover.coach_id == coach.id,
        CaseCover.status == CoverStatus.ACCEPTED,
        CaseCover.released_at.is_(None),
    )
    rows = await session.scalars(
        select(Case).where(
            or_(
                Case.coach_id == coach.id,
                Case.backup_coach_id == coach.id,
                Case.id.in_(covered),
            ),
            # The same "active" as caseloads and covers use.
            active_clause(today),
        )
    )
    stale_before = today - timedelta(days=stale_contact_days(config))
    items = []
    for case in rows:
        if case.coach_id == coach.id:
            relation = Relation.OWN
        elif case.backup_coach_id == coach.id:
            relation = Relation.BACKUP
        else:
            relation = Relation.COVERING
        items.append(
            MyCase(
                case=case,
                relation=relation,
                evaluation_overdue=case.next_evaluation is not None
                and case.next_evaluation < today,
                contact_stale=case.last_contact is None or case.last_contact < stale_before,
            )
        )
    return order_my_cases(items)
