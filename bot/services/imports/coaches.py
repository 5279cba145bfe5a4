"""`achtervang import coaches FILE.csv`: team members by name, with their role, caseload limit,
fte, language, contact details and workdays."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import Language, TeamConfig
from bot.i18n import N_
from bot.models import Coach, Role
from bot.services.cases import holders
from bot.services.imports.cells import (
    CellError,
    Text,
    _decimal,
    _language_or_none,
    _one_of,
    _person_name,
    _Row,
    _whole_or_none,
    _yes_no,
)
from bot.services.imports.pipeline import ImportReport, _import, _Kind, _Plan
from bot.services.team import emails, phones, workdays
from bot.services.team.coaches import normalise_name


def _phone_or_none(value: str) -> str | None:
    if value == "":
        return None
    number = phones.normalise(value)
    if number is None:
        raise CellError(
            N_("'%(value)s' is not a phone number; write 06 12345678 or +31 6 12345678"),
            value=value[:40],
        )
    return number


def _email_or_none(value: str) -> str | None:
    if value == "":
        return None
    address = emails.normalise(value)
    if address is None:
        raise CellError(N_("'%(value)s' is not an e-mail address"), value=value[:60])
    return address


def _workdays(value: str) -> str | None:
    if value == "":
        return None
    days = workdays.parse(value)
    if days is None:
        raise CellError(
            N_("'%(value)s' is not a set of workdays such as mon-thu or mon,tue,thu"),
            value=value[:40],
        )
    return workdays.stored(days)


class CoachRow(_Row):
    name: Annotated[str, BeforeValidator(_person_name)]
    role: Annotated[Role, _one_of(Role, Role.COACH)] = Role.COACH
    fte: Annotated[float, _decimal(0.1, 1.5, default=1.0)] = 1.0
    # None = derive from fte with the team's caseload rule.
    caseload_limit: Annotated[int | None, _whole_or_none(1, 20)] = None
    # None = the team's default language.
    language: Annotated[Language | None, BeforeValidator(_language_or_none)] = None
    active: Annotated[bool, BeforeValidator(_yes_no)] = True
    # Staff contact details: an empty cell clears what was stored.
    phone: Annotated[str | None, BeforeValidator(_phone_or_none)] = None
    email: Annotated[str | None, BeforeValidator(_email_or_none)] = None
    # Stored as "mon,tue,thu"; None = every day.
    workdays: Annotated[str | None, BeforeValidator(_workdays)] = None


async def _coaches_by_key(session: AsyncSession) -> dict[str, Coach]:
    # A team is a few dozen people: one query beats a lookup per row.
    coaches = await session.scalars(select(Coach))
    return {_CoachKind.key(coach.name): coach for coach in coaches}


class _CoachKind(_Kind[CoachRow, Coach]):
    action = "import.coaches"
    row_model = CoachRow
    key_column = "name"

    def __init__(self, config: TeamConfig, now: datetime) -> None:
        self.config = config
        self.now = now

    @staticmethod
    def key(cell: str) -> str:
        # The same matching as coaches.find_by_name.
        return normalise_name(cell).lower()

    async def existing(self, session: AsyncSession, keys: Collection[str]) -> Mapping[str, Coach]:
        return await _coaches_by_key(session)

    def plan(self, row: CoachRow, current: Coach | None, columns: frozenset[str]) -> _Plan:
        # The name is always written: the file's spelling wins over a stored case variant.
        values: dict[str, Any] = {"name": row.name}
        for column in ("role", "fte", "active", "phone", "email", "workdays"):
            if column in columns:
                values[column] = getattr(row, column)
        if "language" in columns:
            values["language"] = row.language or self.config.default_language
        if "caseload_limit" in columns:
            # Derived from the fte the coach will have after this row, which may be the stored one.
            fte = row.fte if "fte" in columns or current is None else current.fte
            values["caseload_limit"] = row.caseload_limit or self.config.caseload.limit_for(fte)
        return _Plan(values)

    def create(self, values: dict[str, Any]) -> Coach:
        return Coach(**values, created_at=self.now)

    async def check(
        self, session: AsyncSession, record: Coach | None, values: dict[str, Any], today: date
    ) -> list[tuple[str, Text]]:
        """A row that would make someone who holds families a partner, or deactivate them, is
        refused: the families must be reassigned first (see holders)."""
        if record is None:
            return []
        role, active = values.get("role", record.role), values.get("active", record.active)
        held = await holders.may_lose_holding(
            session, record, role=role, active=active, today=today
        )
        if not held:
            return []
        column = "active" if not active else "role"
        message = N_("'%(name)s' still holds families (%(codes)s); reassign them first")
        return [(column, Text(message, {"name": record.name, "codes": held.codes()}))]


async def import_coaches(
    session: AsyncSession, text: str, *, config: TeamConfig, now: datetime
) -> ImportReport:
    """Create or update coaches from CSV `text` (already decoded; a leading BOM is tolerated).

    With problems, nothing is added to the session. Otherwise the changes and one audit row are
    added and flushed; the caller must commit (or roll back) the session.
    """
    return await _import(session, text, _CoachKind(config, now), now=now)
