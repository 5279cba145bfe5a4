"""Reading days, weeks, duties and spans the way coaches type them."""

from datetime import date, time

import pytest

from bot.services.rosters.input import parse_day, parse_duty, parse_span, parse_week

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vandaag", MONDAY),
        ("Morgen", date(2026, 11, 24)),
        ("24-11", date(2026, 11, 24)),
        ("5/1", date(2027, 1, 5)),  # early January, asked in November: next year
        ("20-11", date(2026, 11, 20)),  # a few days back stays this year
        ("24-11-2027", date(2027, 11, 24)),
        ("2026-12-25", date(2026, 12, 25)),
        ("31-02", None),
        ("gisteren", None),
    ],
)
def test_days(text, expected):
    assert parse_day(text, MONDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", MONDAY),
        ("volgende", date(2026, 11, 30)),
        ("vorige", date(2026, 11, 16)),
        ("49", date(2026, 11, 30)),
        ("w1", date(2027, 1, 4)),  # week 1 of 2027 is nearer than week 1 of 2026
        ("2026-w52", date(2026, 12, 21)),
        ("2026-W53", date(2026, 12, 28)),  # 2026 has 53 ISO weeks
        ("2027-W53", None),  # 2027 has 52
        ("54", None),
        ("3-12", date(2026, 11, 30)),
    ],
)
def test_weeks(text, expected):
    assert parse_week(text, MONDAY) == expected


def test_duties_and_spans():
    assert parse_duty("BD") == "bureaudienst"
    assert parse_duty("tweede") == "piket_second"
    assert parse_duty("nachtdienst") is None
    span = parse_span("17:00-08.30")
    assert (span.start, span.end) == (time(17), time(8, 30))
    assert parse_span("25:00-08:00") is None
