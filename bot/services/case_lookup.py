"""Finding a family by its case code, what its card holds for a given viewer, recording a
contact from the field, and a coach's own list of families. No Telegram here.

The card is asked for from the road, so it is built from a handful of small indexed queries:
no whole roster, no list of every coach. Who holds bureaudienst or piket right now is worked
out from the rotation plus only the overrides and absences in force at this instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.duty_config import Duty
from bot.models import (
    AbsenceRecord,
    Case,
    CaseContact,
    CaseCover,
    Coach,
    CoverStatus,
    Phase,
    RosterOverride,
    SafetyStatus,
)
from bot.models.base import UTCDateTime
from bot.services import roster
from bot.services.case_access import Relation, Visibility, relations_to, visibility
from bot.services.caseload import active_clause
from bot.services.coaches import normalise_name
from bot.services.roster import Absence, Override, Shift
from bot.team_config import TeamConfig

# More matches than this are not worth a list of buttons: the coach types more of the code.
MAX_MATCHES = 8
# Used when the team config has no [cases] section.
STALE_CONTACT_DAYS = 14
# The duties a caller can ring now; the second line is reached through the alert chain.
CONTACT_DUTIES: tuple[Duty, ...] = ("bureaudienst", "piket")
_QUERY = re.compile(r"[A-Z0-9-]{1,32}")


# --- finding a case ------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    case: Case


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
    exact = await session.scalar(select(Case).where(Case.code == query))
    if exact is not None:
        return Found(exact)
    # Codes entered elsewhere may not be normalised; this scans, but only on a miss.
    stored = func.upper(func.replace(Case.code, " ", ""))
    rows = list(
        await session.scalars(
            select(Case)
            .where(stored.like(query + "%"))
            .order_by(func.length(stored), Case.code)
            .limit(MAX_MATCHES + 1)
        )
    )
    if not rows:
        return NotFound(query)
    if normalise_query(rows[0].code) == query or len(rows) == 1:
        return Found(rows[0])
    matches = sorted((case.code, case.id) for case in rows[:MAX_MATCHES])
    return Ambiguous(matches, more=len(rows) > MAX_MATCHES)


# --- the card ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """A coach named on a card, and whether the bot can reach them now."""

    name: str
    reachable: bool  # enrolled, active and not absent now
    absent: bool


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


def _live_covers(case_id: int):
    return select(CaseCover.coach_id).where(
        CaseCover.case_id == case_id,
        CaseCover.status == CoverStatus.ACCEPTED,
        CaseCover.released_at.is_(None),
    )


async def covering_coach_ids(session: AsyncSession, case_id: int) -> list[int]:
    return list(await session.scalars(_live_covers(case_id).order_by(CaseCover.id)))


async def _people(session: AsyncSession, case: Case) -> tuple[dict[int, Coach], list[int]]:
    """The family's coach, backup and covering coaches in one query; and who is covering."""
    covers = _live_covers(case.id)
    named = [i for i in (case.coach_id, case.backup_coach_id) if i is not None]
    rows = await session.execute(
        select(Coach, Coach.id.in_(covers))
        .where(or_(Coach.id.in_(named), Coach.id.in_(covers)))
        .order_by(Coach.name)
    )
    coaches, covering = {}, []
    for coach, is_covering in rows:
        coaches[coach.id] = coach
        if is_covering:
            covering.append(coach.id)
    return coaches, covering


@dataclass(frozen=True)
class _Now:
    """Absences and roster overrides in force at one instant: a handful of rows."""

    absent: dict[int, str]  # coach id → name
    overrides: list[tuple[str, str]]  # (duty, coach name), latest-created last


async def _in_force(session: AsyncSession, now: datetime) -> _Now:
    # One round trip for both: the card is asked for from the road.
    absences = (
        select(
            literal("a").label("kind"),
            Coach.id,
            Coach.name,
            literal(None, String).label("duty"),
            literal(None, UTCDateTime).label("created"),
            AbsenceRecord.id.label("row_id"),
        )
        .join(Coach, Coach.id == AbsenceRecord.coach_id)
        .where(
            AbsenceRecord.start <= now,
            or_(AbsenceRecord.end.is_(None), AbsenceRecord.end > now),
        )
    )
    overrides = (
        select(
            literal("o").label("kind"),
            Coach.id,
            Coach.name,
            RosterOverride.duty,
            RosterOverride.created_at,
            RosterOverride.id,
        )
        .join(Coach, Coach.id == RosterOverride.coach_id)
        .where(
            RosterOverride.cancelled_at.is_(None),
            RosterOverride.start <= now,
            RosterOverride.end > now,
        )
    )
    rows = list(await session.execute(union_all(absences, overrides)))
    found = sorted((r for r in rows if r.kind == "o"), key=lambda r: (r.created, r.row_id))
    return _Now(
        absent={r.id: r.name for r in rows if r.kind == "a"},
        overrides=[(r.duty, r.name) for r in found],
    )


async def card_for(
    session: AsyncSession, config: TeamConfig, viewer: Coach, case: Case, now: datetime
) -> Card | None:
    """The card `viewer` may see at `now`, or None when they may see nothing at all."""
    coaches, cover_ids = await _people(session, case)
    relations = await relations_to(session, viewer, case, now, covering_ids=cover_ids)
    seen = visibility(viewer, relations)
    if seen is Visibility.NOTHING:
        return None
    in_force = await _in_force(session, now)

    def contact(coach_id: int | None) -> Contact | None:
        coach = coaches.get(coach_id) if coach_id is not None else None
        if coach is None:
            return None
        away = coach.id in in_force.absent
        enrolled = coach.telegram_user_id is not None and coach.enrolled_at is not None
        return Contact(coach.name, enrolled and coach.active and not away, away)

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
        on_duty=tuple(on_duty_now(config, now, in_force)),
        details=details,
    )


def on_duty_now(config: TeamConfig, now: datetime, in_force: _Now) -> list[Shift]:
    """Who holds bureaudienst or piket at `now` (only duties held at this hour). Only each
    shift's holder (or absent holder) is meant to be shown: its span may be cut to `now`.

    Only the overrides and absences in force at `now` can change who holds a duty at `now`,
    so those few rows are all that is loaded (load_roster reads every coach and a two-month
    window, which a card cannot afford in a team of hundreds)."""
    duties = [d for d in CONTACT_DUTIES if d in config.duties.rostered_duties()]
    if not duties:
        return []
    # Rotation members are spelled as in the config; match the coaches' names onto them the
    # way load_roster does (case and spacing ignored).
    spelled = {_key(n): n for n in config.duties.members()}

    def as_member(name: str) -> str:
        return spelled.get(_key(name), name)

    instant_end = now + timedelta(microseconds=1)
    overrides = [
        Override(duty, as_member(name), now, instant_end)  # type: ignore[arg-type]
        for duty, name in in_force.overrides
    ]
    absences = [Absence(as_member(name), now, instant_end) for name in in_force.absent.values()]
    shifts = []
    for duty in duties:
        shift = roster.holder_at(config, duty, now, overrides, absences)
        if shift is not None:
            shifts.append(shift)
    return shifts


def _key(name: str) -> str:
    return normalise_name(name).casefold()


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
