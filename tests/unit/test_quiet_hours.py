"""Working hours for messages that can wait: the morning hour on working days, deadlines that
count working time only, in local time across clock changes and holidays."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config.team import TeamConfig
from bot.services.quiet_hours import next_working, send_time, working_deadline

AMS = ZoneInfo("Europe/Amsterdam")
TEAM = TeamConfig()  # quiet 20:00-08:00, weekends and Dutch public holidays


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS).astimezone(UTC)


def test_a_night_moves_to_the_morning_hour_and_working_time_is_left_alone():
    assert next_working(TEAM, local(2026, 11, 26, 1, 30)) == local(2026, 11, 26, 8, 0)
    assert next_working(TEAM, local(2026, 11, 26, 14, 0)) == local(2026, 11, 26, 14, 0)
    assert next_working(TEAM, local(2026, 11, 26, 20, 0)) == local(2026, 11, 27, 8, 0)


def test_deadlines_count_working_hours_over_the_evening_and_the_weekend():
    two_hours = timedelta(hours=2)
    assert working_deadline(TEAM, local(2026, 11, 26, 1, 30), two_hours) == local(2026, 11, 26, 10)
    # Friday 19:00: one hour left on Friday, the second on Monday morning.
    assert working_deadline(TEAM, local(2026, 11, 27, 19), two_hours) == local(2026, 11, 30, 9)


def test_holidays_and_both_clock_changes_keep_the_local_morning_hour():
    # Christmas Eve evening: 25 and 26 December are holidays, 27 a Sunday.
    assert next_working(TEAM, local(2026, 12, 24, 22)) == local(2026, 12, 28, 8)
    # The clocks go back in the night of 24 to 25 October 2026, forward on 29 March 2026.
    assert next_working(TEAM, local(2026, 10, 23, 21)) == datetime(2026, 10, 26, 7, tzinfo=UTC)
    assert next_working(TEAM, local(2026, 3, 27, 21)) == datetime(2026, 3, 30, 6, tzinfo=UTC)


def test_a_message_that_would_come_too_late_is_not_held_and_quiet_hours_can_be_off():
    night = local(2026, 11, 26, 1, 30)
    assert send_time(TEAM, night, useful_until=local(2026, 11, 26, 6)) == night
    assert send_time(TEAM, night, useful_until=local(2026, 11, 26, 17)) == local(2026, 11, 26, 8)
    off = TeamConfig.model_validate({"quiet_hours": {"enabled": False}})
    assert working_deadline(off, night, timedelta(hours=2)) == night + timedelta(hours=2)
