"""The team of the crisis-path tests that move the clock by hand: one coach per rotation, on
a Monday evening (Bram on piket, Fleur second line, Sara team lead; Anna's family GZ-1042),
and a chain of three 60-second steps that does not repeat."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config.team import TeamConfig
from bot.scheduling.clock import ManualClock
from tests.e2e.conftest import MakeMember
from tests.e2e.harness import Person
from tests.e2e.team_setup import COACHES_AND_LEAD, add_family, enrol_all

EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # Monday 20:00 in Amsterdam: Bram's piket
WAIT = timedelta(seconds=60)
ALERT = "🚨 CRISISMELDING"


def evening_config(**alerts: Any) -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": {
                "bureaudienst": {
                    "members": ["Eva Mulder"],
                    "shift": "week",
                    "start": date(2026, 11, 16),
                },
                "piket": {"members": ["Bram Jansen"], "shift": "day", "start": date(2026, 10, 2)},
                "piket_second": {"members": ["Fleur Visser"], "start": date(2026, 11, 16)},
            },
            "alerts": {
                "chain": [
                    {"to": "first", "wait": "60s"},
                    {"to": "second_line", "wait": "60s"},
                    {"to": "team_lead", "wait": "60s"},
                ],
                "repeat": False,
                "tick": "1h",  # ticks are run by hand
                **alerts,
            },
        }
    )


async def evening_team(
    member: MakeMember, sessionmaker: async_sessionmaker[AsyncSession], clock: ManualClock
) -> dict[str, Person]:
    """Enrols the team, adds GZ-1042 and sets the clock to the evening; keyed by first name."""
    people = await enrol_all(member, COACHES_AND_LEAD)
    await add_family(sessionmaker, "GZ-1042", "Anna de Vries")
    clock.set(EVENING)
    return people


def alert_messages(standin: Any, people: list[Person]) -> list[dict]:
    """Every alert card the bot showed these people, as it looks now."""
    return [
        m
        for person in people
        for m in standin.bot_messages(person.user_id)
        if m.get("text", "").startswith(ALERT)
    ]
