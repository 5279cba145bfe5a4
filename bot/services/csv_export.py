"""Every CSV the bot writes goes through here: cells a spreadsheet would read as a formula
are neutralised (OWASP's rule for CSV injection). A case look-up of '=HYPERLINK(...)' is
recorded as typed, and must stay text when the team lead opens the export in Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# A spreadsheet starts a formula (or DDE) on these; tab and CR hide a leading one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A leading quote makes the cell text; the cell's value is otherwise unchanged."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def to_csv(
    header: Sequence[str], rows: Iterable[Sequence[str]], delimiter: str = ","
) -> tuple[str, int]:
    """The CSV text (header first) and how many rows it holds. A spreadsheet with Dutch
    settings splits on ';' (the comma is its decimal sign)."""
    buffer = io.StringIO()
    # Every cell quoted: with minimal quoting a lone CR in a cell would end the row.
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL, delimiter=delimiter)
    writer.writerow([neutralise(cell) for cell in header])
    count = 0
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        count += 1
    return buffer.getvalue(), count
