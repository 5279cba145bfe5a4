"""Team members by name: adding them with a checked name, finding them by name or Telegram
account, and the active team leads."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import Coach, Role


class DuplicateCoachName(ValueError):
    pass


NAME_MAX = 120  # Coach.name column width


class BadName(ValueError):
    """Why a name cannot be stored: 'empty', 'too_long' or 'control'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise_name(name: str) -> str:
    return " ".join(name.split())


def valid_name(name: str) -> str:
    """The one check every writer of a person's name uses (CLI, CSV): normalised spacing, not
    empty, fits the column, no control or format characters (PostgreSQL refuses NUL; none
    belongs in a name shown in every chat)."""
    name = normalise_name(name)
    if not name:
        raise BadName("empty")
    if len(name) > NAME_MAX:
        raise BadName("too_long")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        raise BadName("control")
    return name


async def find_by_name(session: AsyncSession, name: str) -> Coach | None:
    wanted = normalise_name(name).lower()
    return await session.scalar(select(Coach).where(func.lower(Coach.name) == wanted))


# Every update passes the access gate: the statement is built (and its cache key worked out)
# once, not per update.
_ENROLLED = select(Coach).where(
    Coach.telegram_user_id == bindparam("telegram_user_id"), Coach.active.is_(True)
)


async def find_enrolled(session: AsyncSession, telegram_user_id: int) -> Coach | None:
    """The active team member behind a Telegram account, or None for everyone else."""
    return await session.scalar(_ENROLLED, {"telegram_user_id": telegram_user_id})


async def add_coach(
    session: AsyncSession,
    *,
    name: str,
    role: Role,
    config: TeamConfig,
    now: datetime,
    fte: float = 1.0,
    language: str | None = None,
    caseload_limit: int | None = None,
) -> Coach:
    name = valid_name(name)
    if await find_by_name(session, name) is not None:
        raise DuplicateCoachName(name)
    coach = Coach(
        name=name,
        role=role,
        fte=fte,
        caseload_limit=caseload_limit or config.caseload.limit_for(fte),
        language=language or config.default_language,
        active=True,
        created_at=now,
    )
    session.add(coach)
    await session.flush()
    return coach


async def team_leads(session: AsyncSession) -> list[Coach]:
    return list(
        await session.scalars(
            select(Coach)
            .where(Coach.role == Role.TEAMLEAD, Coach.active.is_(True))
            .order_by(Coach.id)
        )
    )
