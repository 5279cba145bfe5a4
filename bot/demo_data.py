"""An invented team to try Achtervang with: coaches, a team lead, a partner, about seventy
families, one coach off sick with back-ups covering most of their families, one open crisis
alert and a waitlist of about twenty-five.

Every name and case code is made up. Dates are laid out around `now`, so the demo looks
current whenever it is loaded; the same day gives the same data (fixed random seed).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig, load_team_config
from bot.models import (
    AbsenceKind,
    AbsenceRecord,
    Case,
    CaseCover,
    Coach,
    CoverStatus,
    Phase,
    Role,
    SafetyStatus,
    WaitlistEntry,
)
from bot.models.waitlist_terms import Concern, EntryStatus
from bot.services.alerts.lifecycle import raise_alert
from bot.services.team.coaches import add_coach

DEMO_CONFIG_PATH = Path(__file__).resolve().parent / "sandbox" / "demo_team.toml"
SEED = 2018  # the year the Almelo team started; any fixed number keeps the demo repeatable


@dataclass(frozen=True)
class DemoPerson:
    name: str
    role: Role
    fte: float
    telegram_user_id: int


COACHES = (
    DemoPerson("Marieke van Dam", Role.COACH, 1.0, 1_000_001),
    DemoPerson("Joost Hendriks", Role.COACH, 0.9, 1_000_002),
    DemoPerson("Sanne Kuipers", Role.COACH, 0.8, 1_000_003),
    DemoPerson("Ruben Schouten", Role.COACH, 1.0, 1_000_004),
    DemoPerson("Femke Bosman", Role.COACH, 0.6, 1_000_005),
    DemoPerson("Hamza El Idrissi", Role.COACH, 0.9, 1_000_006),
    DemoPerson("Lieke Veenstra", Role.COACH, 0.8, 1_000_007),
    DemoPerson("Thijs Brouwer", Role.COACH, 1.0, 1_000_008),
    DemoPerson("Nadia Pinas", Role.COACH, 0.7, 1_000_009),
    DemoPerson("Koen Vermeulen", Role.COACH, 0.8, 1_000_010),
)
TEAM_LEAD = DemoPerson("Ingrid Scholten", Role.TEAMLEAD, 0.9, 1_000_011)
PARTNER = DemoPerson("Ilse Wolters (Veilig Thuis)", Role.PARTNER, 1.0, 1_000_012)
PEOPLE = (*COACHES, TEAM_LEAD, PARTNER)
SICK_COACH = "Thijs Brouwer"

FAMILIES = 70
WAITING = 25
MIN_PER_COACH = 6
REFERRERS = (
    ("huisarts", 5),
    ("wijkteam", 6),
    ("Veilig Thuis Twente", 3),
    ("school", 4),
    ("leerplichtambtenaar", 2),
    ("woningcorporatie", 2),
    ("schuldhulpverlening", 3),
    ("politie", 2),
    ("Raad voor de Kinderbescherming", 1),
)
SAFETY = (
    (SafetyStatus.ASSESSED, 9),
    (SafetyStatus.SAFETY_PLAN, 6),
    (SafetyStatus.VEILIG_THUIS, 2),
    (SafetyStatus.NOT_ASSESSED, 2),
)
ALERT_TEXT = (
    "Melding via politie: spanningen thuis na ruzie vannacht. Oudste kind (14) wil niet naar "
    "huis. Vandaag contact nodig, eigen coach is ziek."
)


class DemoDataRefused(Exception):
    """The database already holds people; demo data goes only into an empty one."""


@dataclass(frozen=True)
class DemoSummary:
    people: int
    families: int
    alert_case: str
    sick_coach: str
    covered: int = 0
    waiting: int = 0


def demo_config() -> TeamConfig:
    return load_team_config(DEMO_CONFIG_PATH)


async def load_demo_data(session: AsyncSession, config: TeamConfig, now: datetime) -> DemoSummary:
    """Adds the demo team; the caller commits. Raises DemoDataRefused on a database that
    already has people, so running it twice never doubles anything."""
    if await session.scalar(select(func.count()).select_from(Coach)):
        raise DemoDataRefused
    rng = random.Random(SEED)
    coaches = {}
    for person in PEOPLE:
        coach = await add_coach(
            session, name=person.name, role=person.role, config=config, now=now, fte=person.fte
        )
        coach.telegram_user_id = person.telegram_user_id
        coach.enrolled_at = now
        coaches[person.name] = coach
    today = now.astimezone(config.tz).date()
    team = [coaches[p.name] for p in COACHES]
    cases = _families(rng, team, today)
    session.add_all(cases)
    sick = coaches[SICK_COACH]
    absence = AbsenceRecord(
        coach_id=sick.id,
        kind=AbsenceKind.SICK,
        start=datetime.combine(today - timedelta(days=3), time(8, 0), config.tz),
        end=None,
        created_at=now,
        created_by_id=coaches[TEAM_LEAD.name].id,
    )
    session.add(absence)
    await session.flush()
    # A family of the sick coach, so the alert shows what the bot is for: it goes past the
    # absent coach to whoever is on duty. That family and one other are still uncovered, so
    # /covers has a gap to show.
    sick_families = [c for c in cases if c.coach_id == sick.id]
    alert_case = sick_families[0]
    covers = _covers(sick_families[2:], absence)
    session.add_all(covers)
    waiting = _waitlist(rng, team, today, now)
    session.add_all(waiting)
    await raise_alert(
        session,
        config,
        reporter=coaches[PARTNER.name],
        code=alert_case.code,
        text=ALERT_TEXT,
        now=now,
    )
    return DemoSummary(
        len(PEOPLE), len(cases), alert_case.code, sick.name, len(covers), len(waiting)
    )


def _covers(families: list[Case], absence: AbsenceRecord) -> list[CaseCover]:
    """Each family's fixed back-up accepted the cover when the absence began."""
    return [
        CaseCover(
            case_id=case.id,
            absence_id=absence.id,
            coach_id=case.backup_coach_id,
            status=CoverStatus.ACCEPTED,
            rank=0,
            asked_at=absence.start,
            answered_at=absence.start + timedelta(minutes=40),
        )
        for case in families
    ]


def _waitlist(
    rng: random.Random, team: list[Coach], today: date, now: datetime
) -> list[WaitlistEntry]:
    """Referrals from the last twelve weeks with varied priority; the newest three still
    await the team lead's decision."""
    codes = rng.sample(range(10_000, 20_000), WAITING)
    entries = []
    for number, code in enumerate(codes):
        referred = today - timedelta(days=rng.randint(0, 84))
        entries.append(
            WaitlistEntry(
                code=f"ALM-{code}",
                referral_date=referred,
                referrer=_pick(rng, REFERRERS),
                complexity=rng.randint(1, 5),
                cost_band=rng.randint(1, 4),
                concern=Concern.CONCERN if rng.random() < 0.2 else Concern.NONE,
                contact_coach_id=rng.choice(team).id,
                status=EntryStatus.REFERRED if number < 3 else EntryStatus.WAITING,
                created_at=now - timedelta(hours=rng.randint(1, 30)),
                decided_at=None if number < 3 else now,
            )
        )
    return entries


def _caseloads(rng: random.Random, team: list[Coach]) -> list[int]:
    """Families per coach: at least six each, never above the coach's own limit."""
    loads = [MIN_PER_COACH] * len(team)
    while sum(loads) < FAMILIES:
        room = [i for i, coach in enumerate(team) if loads[i] < coach.caseload_limit]
        loads[rng.choice(room)] += 1
    return loads


def _families(rng: random.Random, team: list[Coach], today: date) -> list[Case]:
    codes = rng.sample(range(100, 10_000), FAMILIES)
    cases: list[Case] = []
    for index, (coach, load) in enumerate(zip(team, _caseloads(rng, team), strict=True)):
        others = team[:index] + team[index + 1 :]
        for _ in range(load):
            case = _family(rng, f"ALM-{codes[len(cases)]:04d}", today)
            case.coach_id = coach.id
            case.backup_coach_id = rng.choice(others).id
            cases.append(case)
    return cases


def _family(rng: random.Random, code: str, today: date) -> Case:
    # Most families are months into their plan; a few have only just been referred.
    band = rng.choices(((5, 20), (21, 59), (60, 900)), weights=(1, 1.5, 7.5))[0]
    start = today - timedelta(days=rng.randint(*band))
    age = (today - start).days
    if age < 21:
        phase = rng.choice((Phase.AANMELDING, Phase.INTAKE))
    elif age < 60:
        phase = Phase.PLAN
    elif age > 540 and rng.random() < 0.25:
        phase = Phase.AFSLUITING
    else:
        phase = rng.choices((Phase.UITVOERING, Phase.EVALUATIE), weights=(4, 1))[0]
    case = Case(code=code, phase=phase, start_date=start, referrer=_pick(rng, REFERRERS))
    if phase != Phase.AANMELDING:
        # About one in six evaluations is overdue, as the inspection found in practice.
        case.next_evaluation = max(start, today + timedelta(days=rng.randint(-14, 70)))
        status = _pick(rng, SAFETY)
        case.safety_status = status
        if status != SafetyStatus.NOT_ASSESSED:
            case.safety_date = start + timedelta(days=rng.randint(3, min(20, age)))
    case.last_contact = today - timedelta(days=rng.choice((0, 1, 2, 3, 5, 7, 9, 14, 21, 38)))
    if case.last_contact < start:
        case.last_contact = start
    return case


T = TypeVar("T")


def _pick(rng: random.Random, weighted: Sequence[tuple[T, float]]) -> T:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]
