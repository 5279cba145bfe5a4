"""Absence validation and the order in which backups are asked, without Telegram."""

from datetime import UTC, date, datetime

from bot.config.team import TeamConfig
from bot.models import AbsenceKind
from bot.services.absence.candidates import Candidate, order_candidates
from bot.services.absence.reporting import Problem, Refusal, Request, check, parse_request, span

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 in Amsterdam
TODAY = date(2026, 11, 23)


def _c(name, room, covers=0, knows=False, fixed=False):
    return Candidate(hash(name) % 1000, name, room, covers, knows, fixed)


def test_fixed_backup_first_when_it_has_room_then_most_room():
    order = order_candidates([_c("Bram", 1, fixed=True), _c("Cem", 5), _c("Dirk", 3)])
    assert [c.name for c in order] == ["Bram", "Cem", "Dirk"]


def test_full_fixed_backup_and_full_coaches_are_not_asked():
    order = order_candidates([_c("Bram", 0, fixed=True), _c("Cem", 2), _c("Eva", -1)])
    assert [c.name for c in order] == ["Cem"]


def test_ties_fewest_covers_then_who_knows_the_family():
    order = order_candidates(
        [_c("Anna", 4, covers=2), _c("Bram", 4, covers=1), _c("Cem", 4, covers=1, knows=True)]
    )
    assert [c.name for c in order] == ["Cem", "Bram", "Anna"]


def test_parse_one_line_forms():
    assert parse_request(["ziek"], TODAY) == Request(AbsenceKind.SICK, TODAY, None)
    assert parse_request(["leave", "2026-12-21", "2027-01-03"], TODAY) == Request(
        AbsenceKind.LEAVE, date(2026, 12, 21), date(2027, 1, 3)
    )
    # A single day for anything but sickness.
    assert parse_request(["scholing", "30-11"], TODAY) == Request(
        AbsenceKind.TRAINING, date(2026, 11, 30), date(2026, 11, 30)
    )
    assert parse_request(["Cem", "Yilmaz", "ziek"], TODAY).name == "Cem Yilmaz"
    assert parse_request(["ziek", "gisteren?"], TODAY) == Refusal(Problem.BAD_DATE, "gisteren?")
    assert parse_request(["weg"], TODAY) == Refusal(Problem.USAGE)


def test_today_starts_now_and_the_last_day_counts_whole():
    start, end = span(TeamConfig(), TODAY, date(2026, 11, 24), NOW)
    assert start == NOW
    assert end == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # midnight after, Amsterdam


def test_checks_open_past_and_order():
    start, end = span(TeamConfig(), date(2026, 11, 2), date(2026, 11, 6), NOW)
    assert check(AbsenceKind.LEAVE, start, end, NOW) is Problem.PAST
    assert check(AbsenceKind.LEAVE, NOW, None, NOW) is Problem.OPEN_NOT_SICK
    assert check(AbsenceKind.SICK, NOW, None, NOW) is None
    # Partly past is fine: it still runs.
    start, end = span(TeamConfig(), date(2026, 11, 20), date(2026, 11, 25), NOW)
    assert check(AbsenceKind.SICK, start, end, NOW) is None
