"""The team of the absence tests: Anna de Vries with eight families, Bram and Cem with room,
Eva full, team lead Sara and a partner. With the clock on Monday 23 November 2026, 09:00.

Fixed backups: GZ-101..104 Bram, GZ-105..106 Cem, GZ-107..108 none. Bram has the most room
(10), Cem 8, Eva none: so Bram is asked first for every family but Cem's two."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config.backup import BackupConfig
from bot.config.team import TeamConfig
from bot.models import Role
from bot.standin.standin import NoBotOutput
from tests.e2e.conftest import MakeMember, coach_named
from tests.e2e.harness import Person, buttons
from tests.e2e.team_setup import add_family, crisis_config, enrol_all

CODES = [f"GZ-10{n}" for n in range(1, 9)]


def absence_config() -> TeamConfig:
    return crisis_config().model_copy(
        update={"backup": BackupConfig(answer_within=timedelta(seconds=60))}
    )


async def _limit(sessionmaker: async_sessionmaker[AsyncSession], name: str, limit: int) -> None:
    coach = await coach_named(sessionmaker, name)
    async with sessionmaker() as session:
        stored = await session.get(type(coach), coach.id)
        stored.caseload_limit = limit
        await session.commit()


async def absence_team(
    member: MakeMember, sessionmaker: async_sessionmaker[AsyncSession], anna_language: str = "nl"
) -> dict[str, Person]:
    people = {
        "Anna": await member("Anna de Vries", role=Role.COACH, language=anna_language),
        **await enrol_all(
            member,
            [
                ("Bram Jansen", Role.COACH),
                ("Cem Yilmaz", Role.COACH),
                ("Eva Mulder", Role.COACH),
                ("Sara Bakker", Role.TEAMLEAD),
                ("Wijkteam Noord", Role.PARTNER),
            ],
        ),
    }
    for code in CODES:
        backup = {"1": "Bram Jansen", "2": "Bram Jansen", "3": "Bram Jansen", "4": "Bram Jansen"}
        backup |= {"5": "Cem Yilmaz", "6": "Cem Yilmaz"}
        await add_family(sessionmaker, code, "Anna de Vries", backup=backup.get(code[-1]))
    await add_family(sessionmaker, "GZ-201", "Cem Yilmaz")
    await add_family(sessionmaker, "GZ-202", "Cem Yilmaz")
    await add_family(sessionmaker, "GZ-301", "Eva Mulder")
    await _limit(sessionmaker, "Cem Yilmaz", 10)
    await _limit(sessionmaker, "Eva Mulder", 1)
    return people


async def drain(person: Person) -> list[dict]:
    """Everything the bot showed this person that was not taken yet."""
    shown = []
    while True:
        try:
            shown.append(await person.standin.next_message(person.user_id, timeout=0.3))
        except NoBotOutput:
            return shown


def requests(messages: list[dict]) -> dict[str, dict]:
    """Backup requests among the messages, by case code."""
    found = {}
    for message in messages:
        if any(data.startswith("cover:accept:") for data in buttons(message).values()):
            code = next(c for c in CODES if c in message["text"])
            found[code] = message
    return found
