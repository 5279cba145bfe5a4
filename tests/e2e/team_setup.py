"""The team most end-to-end tests stand on: its rosters, its people and a family.

With the clock on Monday 23 November 2026: Eva Mulder holds bureaudienst this week (Dirk Smit
the next), and piket goes by the day from 17:00: Bram Jansen on Monday, Cem Yilmaz on Tuesday,
Anna de Vries on Wednesday.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config.team import TeamConfig
from bot.models import Case, Phase, Role, SafetyStatus
from tests.e2e.conftest import MakeMember, coach_named
from tests.e2e.harness import Person

BUREAUDIENST: dict[str, Any] = {
    "members": ["Dirk Smit", "Eva Mulder"],
    "shift": "week",
    "start": date(2026, 11, 16),
}
PIKET: dict[str, Any] = {
    "members": ["Anna de Vries", "Bram Jansen", "Cem Yilmaz"],
    "shift": "day",
    "start": date(2026, 10, 2),
}


def week_duties(**more: Any) -> dict[str, Any]:
    """The `duties` section: bureaudienst and piket as above, plus any other sections."""
    return {"bureaudienst": BUREAUDIENST, "piket": PIKET, **more}


async def enrol_all(member: MakeMember, people: list[tuple[str, Role]]) -> dict[str, Person]:
    """Enrols everyone; the result is keyed by first name."""
    return {name.split()[0]: await member(name, role=role) for name, role in people}


async def add_family(
    sessionmaker: async_sessionmaker[AsyncSession], code: str, coach: str, backup: str | None = None
) -> Case:
    """A family in the middle of its plan, with a safety plan."""
    own = await coach_named(sessionmaker, coach)
    second = await coach_named(sessionmaker, backup) if backup else None
    async with sessionmaker() as session:
        case = Case(
            code=code,
            coach_id=own.id,
            backup_coach_id=second.id if second else None,
            phase=Phase.UITVOERING,
            safety_status=SafetyStatus.SAFETY_PLAN,
        )
        session.add(case)
        await session.commit()
    return case


def crisis_config(**alerts: Any) -> TeamConfig:
    """The rosters above with Fleur Visser as second line, and an alert chain of one minute
    per step (two for the team lead), two rounds. The scheduler's own alert tick is an hour
    away: the tests move the clock and tick by hand."""
    return TeamConfig.model_validate(
        {
            "duties": week_duties(
                piket_second={"members": ["Fleur Visser"], "start": date(2026, 11, 16)}
            ),
            "alerts": {
                "chain": [
                    {"to": "first", "wait": "60s"},
                    {"to": "on_duty", "wait": "60s"},
                    {"to": "second_line", "wait": "60s"},
                    {"to": "team_lead", "wait": "120s"},
                ],
                "max_rounds": 2,
                "tick": "1h",
                **alerts,
            },
        }
    )


# The people of the crisis tests: four coaches and the team lead.
COACHES_AND_LEAD = [
    ("Anna de Vries", Role.COACH),
    ("Bram Jansen", Role.COACH),
    ("Eva Mulder", Role.COACH),
    ("Fleur Visser", Role.COACH),
    ("Sara Bakker", Role.TEAMLEAD),
]


async def crisis_team(
    member: MakeMember, sessionmaker: async_sessionmaker[AsyncSession]
) -> dict[str, Person]:
    """Anna (own coach of GZ-1042, Bram her backup), Bram, Eva, Fleur, team lead Sara and the
    partner Wijkteam Noord, keyed by first name."""
    people = await enrol_all(member, [*COACHES_AND_LEAD, ("Wijkteam Noord", Role.PARTNER)])
    await add_family(sessionmaker, "GZ-1042", "Anna de Vries", backup="Bram Jansen")
    return people
