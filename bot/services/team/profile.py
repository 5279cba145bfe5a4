"""A member's own contact details, as they set them in /profile. No Telegram here."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Coach
from bot.services.audit import trail as audit
from bot.services.team import emails, phones

# Typed instead of a value: the detail is removed.
CLEAR = "-"


class Field(enum.StrEnum):
    PHONE = "phone"
    EMAIL = "email"


class Refused(Exception):
    """The value is not a phone number or e-mail address (per `field`)."""

    def __init__(self, field: Field) -> None:
        super().__init__(field.value)
        self.field = field


async def set_contact(
    session: AsyncSession, coach_id: int, field: Field, raw: str, now: datetime
) -> str | None:
    """Stores the normalised value (None when cleared) and returns it; the caller commits.
    Raises Refused for a value that is not one."""
    value: str | None = None
    if raw.strip() != CLEAR:
        value = phones.normalise(raw) if field is Field.PHONE else emails.normalise(raw)
        if value is None:
            raise Refused(field)
    coach = await session.get(Coach, coach_id)
    if coach is None:
        raise LookupError(coach_id)
    setattr(coach, field.value, value)
    # The value itself is staff data and stays out of the audit log, as with `coach phone`.
    audit.record(
        session,
        at=now,
        action=f"profile.{field.value}",
        outcome="cleared" if value is None else "ok",
        actor=coach,
    )
    return value
