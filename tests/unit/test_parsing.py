"""The safe parsers: anything a client could forge gives None, never an exception."""

from datetime import UTC, date, datetime

import pytest

from bot.services import parsing
from bot.services.rosters.input import parse_day, parse_week

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "raw", ["", "²", "1²", "٣", "１２", "-1", "+1", " 1", "1 ", "0", "2147483648", "9" * 40, None]
)
def test_row_ids_are_ascii_digits_within_the_column(raw):
    assert parsing.row_id(raw) is None


def test_a_plain_row_id():
    assert parsing.row_id("42") == 42
    assert parsing.row_id("2147483647") == 2**31 - 1
    assert parsing.row_ids(["1", "2"], 2) == [1, 2]
    assert parsing.row_ids(["1", "x"], 2) is None
    assert parsing.row_ids(["1"], 2) is None


@pytest.mark.parametrize("raw", ["99999999999999", "1", "253402300800", "1e9", "-5"])
def test_timestamps_outside_the_years_we_plan_for(raw):
    assert parsing.timestamp(raw) is None


def test_a_timestamp():
    stamp = str(int(datetime(2026, 11, 23, 16, tzinfo=UTC).timestamp()))
    assert parsing.timestamp(stamp) == datetime(2026, 11, 23, 16, tzinfo=UTC)


@pytest.mark.parametrize("raw", ["9999-12-27", "0001-01-01", "2026-13-01", "２０２６-11-30", "x"])
def test_iso_dates(raw):
    assert parsing.iso_date(raw) is None
    assert parsing.iso_date("2026-11-30") == date(2026, 11, 30)


@pytest.mark.parametrize("text", ["9999-W52", "0001-w01", "31-12-9999", "9999-12-31", "٢٣-١١"])
def test_roster_weeks_and_days_out_of_range_are_not_understood(text):
    assert parse_week(text, TODAY) is None
    assert parse_day(text, TODAY) is None


def test_callback_fields():
    assert parsing.fields("cover:pick:1:2", "cover:", 3) == ["pick", "1", "2"]
    assert parsing.fields("cover:pick:1", "cover:", 3) is None
    assert parsing.fields(None, "cover:", 1) is None
