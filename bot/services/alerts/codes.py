"""What a crisis alert is about: the shape of a case code, the longest text kept, and finding
the family a code names."""

from __future__ import annotations

import re

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Case,
)

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")
MAX_TEXT = 500
# Built once: it is on the way to the first alert message.
_FIND_CASE = select(Case).where(func.upper(Case.code) == bindparam("code"))


def valid_code(code: str) -> bool:
    return bool(CODE.match(code))


async def find_case(session: AsyncSession, code: str) -> Case | None:
    return await session.scalar(_FIND_CASE, {"code": code.upper()})
