"""`achtervang import cases FILE.csv`: families by case code, with coach, backup, phase, dates
and safety flag; every holder is checked against the rules of `cases.holders`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    ValidationInfo,
    field_validator,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import Case, Coach, Phase, SafetyStatus
from bot.services.cases import holders
from bot.services.imports.cells import (
    _REFERRER_MAX,
    CellError,
    OptionalDate,
    Text,
    _case_code,
    _context,
    _one_of,
    _Row,
    _text_or_none,
)
from bot.services.imports.coaches import _coaches_by_key
from bot.services.imports.pipeline import ImportReport, _import, _Kind, _Plan
from bot.services.team.coaches import normalise_name


class CaseRow(_Row):
    code: Annotated[str, BeforeValidator(_case_code)]
    coach: Coach | None = None
    backup_coach: Coach | None = None
    phase: Annotated[Phase, _one_of(Phase, Phase.AANMELDING)] = Phase.AANMELDING
    start_date: OptionalDate = None
    next_evaluation: OptionalDate = None
    end_date: OptionalDate = None
    safety_status: Annotated[SafetyStatus, _one_of(SafetyStatus, SafetyStatus.NOT_ASSESSED)] = (
        SafetyStatus.NOT_ASSESSED
    )
    safety_date: OptionalDate = None
    last_contact: OptionalDate = None
    referrer: Annotated[str | None, _text_or_none(_REFERRER_MAX)] = None

    @field_validator("coach", "backup_coach", mode="before")
    @classmethod
    def _case_holder(cls, value: str, info: ValidationInfo) -> Coach | None:
        name = normalise_name(value)
        if not name:
            return None
        coach = _context(info, "coaches").get(name.lower())
        if coach is None:
            raise CellError(N_("unknown coach '%(name)s'"), name=name)
        if not coach.active:
            raise CellError(N_("'%(name)s' is deactivated"), name=coach.name)
        if not holders.may_hold(coach):
            raise CellError(
                N_("'%(name)s' has role %(role)s; only a coach or teamlead can hold a case"),
                name=coach.name,
                role=coach.role.value,
            )
        return coach

    @field_validator("last_contact")
    @classmethod
    def _not_in_future(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is not None and value > _context(info, "today"):
            raise CellError(N_("%(date)s is in the future"), date=value.isoformat())
        return value


class _CaseKind(_Kind[CaseRow, Case]):
    action = "import.cases"
    row_model = CaseRow
    key_column = "code"

    @staticmethod
    def key(cell: str) -> str:
        return cell.strip().upper()

    async def context(self, session: AsyncSession) -> dict[str, Any]:
        return {"coaches": await _coaches_by_key(session)}

    async def existing(self, session: AsyncSession, keys: Collection[str]) -> Mapping[str, Case]:
        if not keys:
            return {}
        # upper() on the stored side too: codes entered elsewhere may not have been normalised.
        cases = await session.scalars(select(Case).where(func.upper(Case.code).in_(list(keys))))
        return {self.key(case.code): case for case in cases}

    def plan(self, row: CaseRow, current: Case | None, columns: frozenset[str]) -> _Plan:
        values: dict[str, Any] = {"code": row.code}
        for column in columns - {"code"}:
            if column in ("coach", "backup_coach"):
                coach: Coach | None = getattr(row, column)
                # Ids, not relationships: comparing a relationship would lazy-load in async.
                values[f"{column}_id"] = coach.id if coach is not None else None
            else:
                values[column] = getattr(row, column)

        def after(attribute: str) -> Any:
            """The value once this row is applied: from the file, else as stored."""
            return values[attribute] if attribute in values else getattr(current, attribute)

        def blame(column: str, other: str) -> str:
            # Point at a column the user actually gave, not at one only in the database.
            return column if column in columns else other

        issues: list[tuple[str, Text]] = []
        coach_id, backup_id = after("coach_id"), after("backup_coach_id")
        if backup_id is not None and backup_id == coach_id:
            issues.append(
                (
                    blame("backup_coach", "coach"),
                    Text(N_("backup coach must differ from the coach")),
                )
            )
        start = after("start_date")
        for column in ("next_evaluation", "end_date"):
            later = after(column)
            if start is not None and later is not None and later < start:
                issues.append(
                    (
                        blame(column, "start_date"),
                        Text(
                            N_("%(column)s %(date)s is before start_date %(start)s"),
                            {
                                "column": column,
                                "date": later.isoformat(),
                                "start": start.isoformat(),
                            },
                        ),
                    )
                )
        return _Plan(values, issues)

    def create(self, values: dict[str, Any]) -> Case:
        return Case(**values)


async def import_cases(session: AsyncSession, text: str, *, now: datetime) -> ImportReport:
    """Create or update cases from CSV `text`; coaches must already exist.

    With problems, nothing is added to the session. Otherwise the changes and one audit row are
    added and flushed; the caller must commit (or roll back) the session.
    """
    return await _import(session, text, _CaseKind(), now=now)
