"""The case code the bot uses in its examples ("for example /case ALM-1042"): shaped like the
team's own codes, so a coach recognises the format, but not a real family's code."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.models import Case

FALLBACK = "GZ-1042"
_DIGITS = re.compile(r"\d+")


def shaped_like(code: str) -> str:
    """`code` with each run of digits replaced by as many digits of 1042…: ALM-0417 → ALM-1042."""

    def digits(match: re.Match[str]) -> str:
        size = len(match[0])
        return ("1042" * (size // 4 + 1))[:size]

    example = _DIGITS.sub(digits, code)
    # The first code itself must not show through (a partner would learn it exists).
    return example if example != code else _DIGITS.sub(lambda m: "0" * len(m[0]), code)


async def example_code(session: AsyncSession, config: TeamConfig) -> str:
    """From the team config when set (`[cases] example_code`), else shaped like the first
    case in the database, else a neutral default."""
    if config.cases.example_code:
        return config.cases.example_code
    code = await session.scalar(select(Case.code).order_by(Case.id).limit(1))
    example = shaped_like(code) if code else FALLBACK
    if await session.scalar(select(Case.id).where(Case.code == example)) is None:
        return example
    # A real family's code is never an example: whoever reads it learns nothing of a case.
    zeroed = _DIGITS.sub(lambda match: "0" * len(match[0]), example)
    if await session.scalar(select(Case.id).where(Case.code == zeroed)) is None:
        return zeroed
    return "CODE-0000"
