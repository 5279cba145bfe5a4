"""The one small set of parsers for what arrives in callback data and command arguments.

Everything a client sends can be forged, so each parser says None for anything it cannot take
exactly as meant, never raises: only ASCII digits ('²' and '٣' pass str.isdigit but are no
id), ids that fit the database's integer columns (a larger one overflows SQLite and
PostgreSQL), timestamps and years the rest of the code can add weeks to without leaving
Python's date range."""

from __future__ import annotations

from datetime import UTC, date, datetime

# Row ids are INTEGER columns: 32 bits on PostgreSQL.
MAX_ROW_ID = 2**31 - 1
MIN_YEAR = 2000
MAX_YEAR = 2100
_MIN_STAMP = int(datetime(MIN_YEAR, 1, 1, tzinfo=UTC).timestamp())
_MAX_STAMP = int(datetime(MAX_YEAR, 12, 31, tzinfo=UTC).timestamp())


def ascii_int(raw: str | None, low: int, high: int) -> int | None:
    """A whole number written in ASCII digits (no sign, no spaces) within [low, high]."""
    if raw is None or not 0 < len(raw) <= 19 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def row_id(raw: str | None) -> int | None:
    return ascii_int(raw, 1, MAX_ROW_ID)


def row_ids(raws: list[str], count: int) -> list[int] | None:
    """Exactly `count` row ids, or None."""
    if len(raws) != count:
        return None
    ids = [value for value in map(row_id, raws) if value is not None]
    return ids if len(ids) == count else None


def timestamp(raw: str | None) -> datetime | None:
    """A Unix time in seconds, as buttons carry an instant, within the years we reason about."""
    seconds = ascii_int(raw, _MIN_STAMP, _MAX_STAMP)
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def year_ok(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def iso_date(raw: str | None) -> date | None:
    """'2026-11-30' exactly, in the years we reason about."""
    if raw is None or len(raw) != 10 or not raw.isascii():
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if year_ok(day.year) else None


def fields(data: str | None, prefix: str, count: int) -> list[str] | None:
    """The `count` colon-separated fields after `prefix` in callback data, or None."""
    if data is None or not data.startswith(prefix):
        return None
    parts = data[len(prefix) :].split(":")
    return parts if len(parts) == count else None
