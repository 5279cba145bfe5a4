"""The CSV import pipeline shared by every kind (coaches, cases, the waitlist): every row is
checked before anything is written.

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
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import (
    ValidationError,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import Case, Coach
from bot.models.waitlist import WaitlistEntry
from bot.services.audit import trail as audit
from bot.services.imports.cells import CellError, Text, _Row


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


RowT = TypeVar("RowT", bound=_Row)


ObjT = TypeVar("ObjT", Coach, Case, WaitlistEntry)


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
