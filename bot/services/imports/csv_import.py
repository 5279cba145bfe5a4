"""CSV import of coaches and cases: every row is checked before anything is written.

Both kinds share one pipeline: read the table → validate each row with a pydantic model → plan
each row against what is stored (cross-field checks need the stored record) → apply, but only
if no row had a problem, so a file is imported entirely or not at all. Cross-field checks
(backup ≠ coach, date order) run once a row's cells are individually valid, since they compare
parsed values.

The import functions add and flush but never commit: the caller commits (or rolls back), so the
changes and their audit row land in one transaction.

Cell semantics, the same for both kinds:
- a column missing from the file leaves that field as it is on existing records (new records get
  the default);
- an empty cell in a column that is present means the documented default, also for existing
  records (empty `coach` unassigns a case, empty `end_date` clears it);
- the key column (`name` / `code`) matches existing records case-insensitively.
"""

from __future__ import annotations

import csv
import io
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import Language, TeamConfig
from bot.i18n import N_, Translator
from bot.models import Case, Coach, Phase, Role, SafetyStatus
from bot.services.audit import trail as audit
from bot.services.cases import holders
from bot.services.team import workdays
from bot.services.team.coaches import BadName, normalise_name, valid_name

# --- public results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A message kept as msgid and parameters, so the caller shows it in the reader's language."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, tr: Translator) -> str:
        return tr._(self.msgid, **self.params)

    def __str__(self) -> str:
        return self.msgid % self.params if self.params else self.msgid


class CellError(ValueError):
    """A cell's problem; pydantic keeps the exception, so its Text survives validation."""

    def __init__(self, msgid: str, **params: object) -> None:
        self.text = Text(msgid, params)
        super().__init__(str(self.text))


@dataclass(frozen=True)
class RowProblem:
    line: int  # physical line number in the file, header is line 1
    column: str | None  # CSV column name, or None for whole-row problems
    text: Text

    @property
    def message(self) -> str:
        """The problem in English (the source language)."""
        return str(self.text)


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    problems: list[RowProblem] = field(default_factory=list)  # non-empty => nothing was written

    @property
    def ok(self) -> bool:
        return not self.problems


# --- cell parsers ---------------------------------------------------------------------------------
# Each takes a stripped cell and returns the typed value or raises CellError with a short
# message; pydantic then reports it under the field (= column) name. Written by hand instead of
# pydantic's coercion so that messages are plain and Dutch spreadsheet habits (decimal comma,
# DD-MM-YYYY, ja/nee) are accepted while Python-isms like "1_0", "nan" or "on" are not.

E = TypeVar("E", bound=Enum)

_DECIMAL = re.compile(r"\d+(?:[.,]\d*)?|[.,]\d+")
_WHOLE = re.compile(r"\d+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_CASE_CODE = re.compile(r"[A-Z0-9-]{3,32}")
_YES = frozenset({"yes", "true", "ja", "1"})
_NO = frozenset({"no", "false", "nee", "0"})
_NAME_MAX = 120  # Coach.name column width
_REFERRER_MAX = 120  # Case.referrer column width


def _one_of(enum_cls: type[E], default: E) -> BeforeValidator:
    options = [str(member.value) for member in enum_cls]
    choices = ", ".join(options)

    def parse(value: str) -> E:
        if value == "":
            return default
        try:
            return enum_cls(value.lower())
        except ValueError:
            raise CellError(
                N_("'%(value)s' is not one of: %(choices)s"), value=value, choices=choices
            ) from None

    return BeforeValidator(parse)


def _decimal(low: float, high: float, default: float) -> BeforeValidator:
    def parse(value: str) -> float:
        if value == "":
            return default
        if not _DECIMAL.fullmatch(value):
            raise CellError(N_("'%(value)s' is not a number"), value=value)
        number = float(value.replace(",", "."))
        if not low <= number <= high:
            raise CellError(
                N_("must be between %(low)s and %(high)s, not %(value)s"),
                low=f"{low:g}",
                high=f"{high:g}",
                value=value,
            )
        return number

    return BeforeValidator(parse)


def _whole_or_none(low: int, high: int) -> BeforeValidator:
    def parse(value: str) -> int | None:
        if value == "":
            return None
        if not _WHOLE.fullmatch(value):
            raise CellError(N_("'%(value)s' is not a whole number"), value=value)
        number = int(value)
        if not low <= number <= high:
            raise CellError(
                N_("must be between %(low)s and %(high)s, not %(value)s"),
                low=low,
                high=high,
                value=value,
            )
        return number

    return BeforeValidator(parse)


def _yes_no(value: str) -> bool:
    if value == "":
        return True
    if value.lower() in _YES:
        return True
    if value.lower() in _NO:
        return False
    raise CellError(N_("'%(value)s' is not yes or no"), value=value)


def _language_or_none(value: str) -> Language | None:
    if value == "":
        return None
    lowered = value.lower()
    if lowered == "nl" or lowered == "en":
        return lowered
    raise CellError(N_("'%(value)s' is not a language; use nl or en"), value=value)


def _person_name(value: str) -> str:
    try:
        return valid_name(value)
    except BadName as bad:
        if bad.reason == "empty":
            raise CellError(N_("must not be empty")) from None
        if bad.reason == "too_long":
            raise CellError(N_("is longer than %(limit)s characters"), limit=_NAME_MAX) from None
        raise CellError(N_("holds control characters")) from None


def _case_code(value: str) -> str:
    code = value.upper()
    if not code:
        raise CellError(N_("must not be empty"))
    if not _CASE_CODE.fullmatch(code):
        raise CellError(
            N_("'%(value)s' is not a case code (3–32 letters, digits or hyphens)"), value=value
        )
    return code


def _workdays(value: str) -> str | None:
    if value == "":
        return None
    days = workdays.parse(value)
    if days is None:
        raise CellError(
            N_("'%(value)s' is not a set of workdays such as mon-thu or mon,tue,thu"), value=value
        )
    return workdays.stored(days)


def _date_or_none(value: str) -> date | None:
    if value == "":
        return None
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := _DUTCH_DATE.fullmatch(value):
        day, month, year = match.groups()
    else:
        raise CellError(N_("'%(value)s' is not a date; use YYYY-MM-DD or DD-MM-YYYY"), value=value)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(N_("'%(value)s' is not a real date"), value=value) from None


def _text_or_none(limit: int) -> BeforeValidator:
    def parse(value: str) -> str | None:
        if len(value) > limit:
            raise CellError(N_("is longer than %(limit)s characters"), limit=limit)
        return value or None

    return BeforeValidator(parse)


OptionalDate = Annotated[date | None, BeforeValidator(_date_or_none)]


# --- row models: field names are the column names -------------------------------------------------


class _Row(BaseModel):
    # Coach objects travel through validation as resolved references, hence arbitrary types.
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class CoachRow(_Row):
    name: Annotated[str, BeforeValidator(_person_name)]
    role: Annotated[Role, _one_of(Role, Role.COACH)] = Role.COACH
    fte: Annotated[float, _decimal(0.1, 1.5, default=1.0)] = 1.0
    # None = derive from fte with the team's caseload rule.
    caseload_limit: Annotated[int | None, _whole_or_none(1, 20)] = None
    # None = the team's default language.
    language: Annotated[Language | None, BeforeValidator(_language_or_none)] = None
    active: Annotated[bool, BeforeValidator(_yes_no)] = True
    # Stored as "mon,tue,thu"; None = every day.
    workdays: Annotated[str | None, BeforeValidator(_workdays)] = None


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


def _context(info: ValidationInfo, key: str) -> Any:
    if not isinstance(info.context, Mapping) or key not in info.context:
        raise RuntimeError(f"row validation needs {key!r} in its context")
    return info.context[key]


# --- reading the table ----------------------------------------------------------------------------

Cells = dict[str, str]


def _read_table(
    text: str, *, known: Collection[str], required: Collection[str]
) -> tuple[list[tuple[int, Cells]] | None, list[RowProblem]]:
    """Rows as {column: stripped cell} with their physical line numbers, plus any problems.

    Returns None for the rows when the header makes them unreadable.
    """
    # One line ending everywhere keeps csv's line count equal to what an editor shows; a stray
    # BOM is dropped in case the caller decoded with plain utf-8.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    header_text = next((line for line in text.split("\n") if line.strip(" \t,;")), None)
    if header_text is None:
        return None, [RowProblem(1, None, Text(N_("the file is empty")))]
    delimiter = ";" if header_text.count(";") > header_text.count(",") else ","

    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            stripped = [cell.strip() for cell in cells]
            # Spreadsheets export empty rows as ";;;;"; those are blank lines too.
            if any(stripped):
                records.append((start, stripped))
    except csv.Error as exc:
        return None, [
            RowProblem(
                end + 1, None, Text(N_("cannot read this as CSV: %(error)s"), {"error": exc})
            )
        ]

    if not records:
        return None, [RowProblem(1, None, Text(N_("the file is empty")))]
    (header_line, header), body = records[0], records[1:]
    # Spreadsheets may add empty columns at the right; they carry no meaning.
    while header and not header[-1]:
        header.pop()
    columns = [cell.lower() for cell in header]
    problems, readable = _check_header(header_line, columns, known=known, required=required)
    if not readable:
        return None, problems

    rows: list[tuple[int, Cells]] = []
    width = len(columns)
    for line, cells in body:
        # Unequal widths usually mean a wrong delimiter or a shifted cell: refuse, never guess.
        if len(cells) < width or any(cells[width:]):
            found = len(cells) if len(cells) < width else _filled_width(cells)
            problems.append(
                RowProblem(
                    line,
                    None,
                    Text(
                        N_("has %(found)s values, but the header has %(width)s columns"),
                        {"found": found, "width": width},
                    ),
                )
            )
            continue
        named = zip(columns, cells[:width], strict=True)
        rows.append((line, {column: cell for column, cell in named if column in known}))
    return rows, problems


def _check_header(
    line: int, columns: list[str], *, known: Collection[str], required: Collection[str]
) -> tuple[list[RowProblem], bool]:
    """Header problems, and whether the rows can still be read (to report their problems too)."""
    problems: list[RowProblem] = []
    readable = True
    unnamed = [str(index + 1) for index, column in enumerate(columns) if not column]
    if unnamed:
        problems.append(
            RowProblem(
                line,
                None,
                Text(N_("column %(columns)s has no name"), {"columns": ", ".join(unnamed)}),
            )
        )
        readable = False
    repeated = sorted({column for column in columns if column and columns.count(column) > 1})
    if repeated:
        problems.append(
            RowProblem(
                line, None, Text(N_("repeated column %(columns)s"), {"columns": _quoted(repeated)})
            )
        )
        readable = False
    unknown = [column for column in dict.fromkeys(columns) if column and column not in known]
    if unknown:
        # Not fatal: the known columns can still be checked, so the user sees everything at once.
        problems.append(
            RowProblem(
                line,
                None,
                Text(
                    N_("unknown column %(columns)s; known columns are %(known)s"),
                    {"columns": _quoted(unknown), "known": ", ".join(known)},
                ),
            )
        )
    missing = [column for column in required if column not in columns]
    if missing:
        problems.append(
            RowProblem(
                line,
                None,
                Text(N_("missing required column %(columns)s"), {"columns": _quoted(missing)}),
            )
        )
        readable = False
    return problems, readable


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _filled_width(cells: list[str]) -> int:
    return max(index for index, cell in enumerate(cells) if cell) + 1


# --- the shared pipeline --------------------------------------------------------------------------

RowT = TypeVar("RowT", bound=_Row)
ObjT = TypeVar("ObjT", Coach, Case)


@dataclass(frozen=True)
class _Plan:
    """What one valid row would write: attribute values, or the reasons it cannot."""

    values: dict[str, Any]
    issues: list[tuple[str, Text]] = field(default_factory=list)  # (column, message)


class _Kind(ABC, Generic[RowT, ObjT]):
    """What differs between importing coaches and cases; `_import` does the rest."""

    action: ClassVar[str]
    row_model: type[RowT]
    key_column: ClassVar[str]

    @staticmethod
    @abstractmethod
    def key(cell: str) -> str:
        """Identity of a key cell, for duplicates in the file and matching stored records."""

    async def context(self, session: AsyncSession) -> dict[str, Any]:
        """Lookups that row validation needs (beyond today's date)."""
        return {}

    @abstractmethod
    async def existing(self, session: AsyncSession, keys: Collection[str]) -> Mapping[str, ObjT]:
        """Stored records for these keys, by key."""

    @abstractmethod
    def plan(self, row: RowT, current: ObjT | None, columns: frozenset[str]) -> _Plan:
        """Values to write for a row, given only `columns` (all of them for a new record)."""

    @abstractmethod
    def create(self, values: dict[str, Any]) -> ObjT:
        """A new record from a full set of planned values."""

    async def check(
        self, session: AsyncSession, record: ObjT | None, values: dict[str, Any], today: date
    ) -> list[tuple[str, Text]]:
        """Problems that need the database to see (beyond the row itself)."""
        return []


async def _import(
    session: AsyncSession, text: str, kind: _Kind[RowT, ObjT], *, now: datetime
) -> ImportReport:
    known = tuple(kind.row_model.model_fields)
    required = [name for name, info in kind.row_model.model_fields.items() if info.is_required()]
    rows, problems = _read_table(text, known=known, required=required)
    if rows is None:
        return _refused(problems)

    context = {**await kind.context(session), "today": now.astimezone(UTC).date()}
    valid: list[tuple[int, RowT]] = []
    first_seen: dict[str, int] = {}
    for line, cells in rows:
        key_cell = cells.get(kind.key_column, "")
        key = kind.key(key_cell)
        duplicate_of = first_seen.get(key) if key else None
        if duplicate_of is not None:
            problems.append(
                RowProblem(
                    line,
                    kind.key_column,
                    Text(
                        N_("'%(value)s' already appears on line %(line)s"),
                        {"value": key_cell, "line": duplicate_of},
                    ),
                )
            )
        elif key:
            first_seen[key] = line
        # Validate duplicates too, so that fixing the key does not reveal new problems later.
        try:
            row = kind.row_model.model_validate(cells, context=context)
        except ValidationError as exc:
            problems.extend(_from_pydantic(line, exc))
            continue
        if duplicate_of is None:
            valid.append((line, row))

    def key_of(row: RowT) -> str:
        return kind.key(getattr(row, kind.key_column))

    current = await kind.existing(session, [key_of(row) for _, row in valid])
    planned: list[tuple[ObjT | None, dict[str, Any]]] = []
    for line, row in valid:
        record = current.get(key_of(row))
        # A new record gets every field (defaults for absent columns); an existing one only the
        # columns that are in the file.
        columns = frozenset(row.model_fields_set if record is not None else known)
        plan = kind.plan(row, record, columns)
        plan.issues.extend(await kind.check(session, record, plan.values, context["today"]))
        problems.extend(RowProblem(line, column, message) for column, message in plan.issues)
        planned.append((record, plan.values))
    if problems:
        return _refused(problems)

    counts: Counter[str] = Counter()
    for record, values in planned:
        counts[_apply(session, kind, record, values)] += 1
    report = ImportReport(
        created=counts["created"], updated=counts["updated"], unchanged=counts["unchanged"]
    )
    audit.record(
        session,
        at=now,
        action=kind.action,
        outcome="ok",
        detail=(
            f"created={report.created}, updated={report.updated}, unchanged={report.unchanged}"
        ),
    )
    await session.flush()
    return report


def _apply(
    session: AsyncSession, kind: _Kind[Any, ObjT], record: ObjT | None, values: dict[str, Any]
) -> str:
    if record is None:
        session.add(kind.create(values))
        return "created"
    # Only differing fields are set, so an unchanged row leaves no trace in the session.
    changed = {name: value for name, value in values.items() if getattr(record, name) != value}
    for name, value in changed.items():
        setattr(record, name, value)
    return "updated" if changed else "unchanged"


def _refused(problems: list[RowProblem]) -> ImportReport:
    # Stable sort: problems of one line keep the order they were found in.
    return ImportReport(0, 0, 0, sorted(problems, key=lambda problem: problem.line))


def _from_pydantic(line: int, exc: ValidationError) -> list[RowProblem]:
    problems = []
    for error in exc.errors():
        column = str(error["loc"][0]) if error["loc"] else None
        cause = error.get("ctx", {}).get("error")
        # Our own parsers raise CellError; anything else is pydantic's English, shown as it is.
        text = cause.text if isinstance(cause, CellError) else Text(error["msg"])
        problems.append(RowProblem(line, column, text))
    return problems


# --- the two kinds --------------------------------------------------------------------------------


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
        for column in ("role", "fte", "active", "workdays"):
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


# --- public API -----------------------------------------------------------------------------------


async def import_coaches(
    session: AsyncSession, text: str, *, config: TeamConfig, now: datetime
) -> ImportReport:
    """Create or update coaches from CSV `text` (already decoded; a leading BOM is tolerated).

    With problems, nothing is added to the session. Otherwise the changes and one audit row are
    added and flushed; the caller must commit (or roll back) the session.
    """
    return await _import(session, text, _CoachKind(config, now), now=now)


async def import_cases(session: AsyncSession, text: str, *, now: datetime) -> ImportReport:
    """Create or update cases from CSV `text`; coaches must already exist.

    With problems, nothing is added to the session. Otherwise the changes and one audit row are
    added and flushed; the caller must commit (or roll back) the session.
    """
    return await _import(session, text, _CaseKind(), now=now)
