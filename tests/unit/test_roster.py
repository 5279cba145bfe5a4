"""The pure standby roster: config validation, rotation arithmetic in local time, overrides,
absences, and properties over a year (DST changes and Dutch public holidays included)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.config.duties import DutyConfig
from bot.config.team import ConfigFileError, TeamConfig, load_team_config
from bot.services.rosters.core import (
    Absence,
    Override,
    Shift,
    holder_at,
    is_active,
    shifts_between,
)

AMS = ZoneInfo("Europe/Amsterdam")
PIKET = ["Anna", "Bram", "Cem"]  # day shifts, 17:00 handover, Anna from Sunday 1 March 2026
BUREAU = ["Dirk", "Eva"]  # week shifts, 08:30 handover, Dirk from Monday 5 January 2026
SECOND = ["Fleur", "Gijs"]  # week shifts, 17:00 handover, Fleur from Friday 2 January 2026
NAMES = [*PIKET, *BUREAU, *SECOND, "Hanna"]


def local(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=AMS, fold=fold).astimezone(UTC)


@pytest.fixture(scope="module")
def team() -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": {
                "bureaudienst": {"members": BUREAU, "shift": "week", "start": "2026-01-05"},
                "piket": {
                    "members": PIKET,
                    "shift": "day",
                    "handover": "17:00",
                    "start": "2026-03-01",
                },
                "piket_second": {"members": SECOND, "shift": "week", "start": "2026-01-02"},
            }
        }
    )


TEAM = TeamConfig.model_validate(
    {
        "duties": {
            "bureaudienst": {"members": BUREAU, "shift": "week", "start": "2025-12-29"},
            "piket": {"members": PIKET, "shift": "day", "start": "2025-12-01"},
            "piket_second": {"members": SECOND, "shift": "week", "start": "2025-12-05"},
        }
    }
)


# --- config ----------------------------------------------------------------------------------


def test_empty_config_validates_with_defaults():
    duties = TeamConfig().duties
    assert duties == DutyConfig()
    assert duties.office_hours.weekdays == ("mon", "tue", "wed", "thu", "fri")
    assert duties.handover("bureaudienst").isoformat() == "08:30:00"
    assert duties.handover("piket").isoformat() == "17:00:00"
    assert duties.handover("piket_second").isoformat() == "17:00:00"
    assert not duties.rostered("piket")


def test_toml_section_loads(tmp_path: Path):
    path = tmp_path / "team.toml"
    path.write_text(
        """
[duties.office_hours]
weekdays = ["mon", "tue", "wed", "thu", "fri"]
start = "08:30"
end = "17:00"

[duties.bureaudienst]
members = ["Dirk", "Eva"]
shift = "week"
handover = "08:30"
start = 2026-01-05

[duties.piket]
members = ["Anna", "Bram", "Cem"]
shift = "day"
handover = "17:00"
start = 2026-03-01
""",
        encoding="utf-8",
    )
    duties = load_team_config(path).duties
    assert duties.piket.members == tuple(PIKET)
    assert duties.bureaudienst.shift_days == 7
    assert not duties.rostered("piket_second")


@pytest.mark.parametrize(
    ("section", "fragment"),
    [
        ({"piket": {"handover": "8.30"}}, "duties.piket.handover"),
        ({"piket": {"handover": "24:00"}}, "HH:MM"),
        ({"piket": {"members": ["Anna", "anna"], "start": "2026-01-01"}}, "duplicate member"),
        ({"piket": {"members": ["Anna"]}}, "start date is required"),
        ({"piket": {"members": [" "], "start": "2026-01-01"}}, "must not be empty"),
        ({"piket": {"shift": "month"}}, "duties.piket.shift"),
        ({"office_hours": {"start": "17:00", "end": "08:30"}}, "start must be before end"),
        ({"office_hours": {"weekdays": ["mon", "mon"]}}, "must not repeat"),
        ({"office_hours": {"weekdays": ["monday"]}}, "duties.office_hours.weekdays"),
        ({"rota": {}}, "duties.rota"),
    ],
)
def test_config_errors_name_field_and_problem(section: dict, fragment: str):
    assert fragment in _errors(section)


def _errors(section: dict) -> str:
    with pytest.raises(ValidationError) as info:
        TeamConfig.model_validate({"duties": section})
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in info.value.errors()
    )


def test_config_file_error_mentions_duty_field(tmp_path: Path):
    path = tmp_path / "team.toml"
    path.write_text('[duties.bureaudienst]\nhandover = "half negen"\n', encoding="utf-8")
    with pytest.raises(ConfigFileError, match=r"duties\.bureaudienst\.handover: .*HH:MM"):
        load_team_config(path)


# --- concrete days ---------------------------------------------------------------------------


def test_normal_week(team: TeamConfig):
    # Monday 23 November 2026: week 46 since 5 January, so Dirk (index 0) holds bureaudienst.
    monday = local(2026, 11, 23, 0, 0)
    bureau = shifts_between(team, "bureaudienst", monday, monday + timedelta(days=7))
    assert [(s.start, s.end) for s in bureau] == [
        (local(2026, 11, day, 8, 30), local(2026, 11, day, 17, 0)) for day in range(23, 28)
    ]
    assert {s.holder for s in bureau} == {"Dirk"}
    assert all(s.source == "rotation" for s in bureau)

    piket = shifts_between(team, "piket", monday, monday + timedelta(days=7))
    # Day shifts handed over at 17:00: 22 Nov is index 266 → Cem (266 % 3 == 2).
    assert piket[0] == Shift("piket", "Cem", monday, local(2026, 11, 23, 8, 30), "rotation")
    assert piket[1] == Shift(
        "piket", "Anna", local(2026, 11, 23, 17, 0), local(2026, 11, 24, 8, 30), "rotation"
    )
    # The weekend is one window split at the 17:00 handovers.
    weekend = [s for s in piket if s.start >= local(2026, 11, 27, 17, 0)]
    assert [(s.holder, s.start, s.end) for s in weekend] == [
        ("Bram", local(2026, 11, 27, 17, 0), local(2026, 11, 28, 17, 0)),
        ("Cem", local(2026, 11, 28, 17, 0), local(2026, 11, 29, 17, 0)),
        ("Anna", local(2026, 11, 29, 17, 0), local(2026, 11, 30, 0, 0)),
    ]
    assert holder_at(team, "bureaudienst", local(2026, 11, 28, 10, 0)) is None
    assert holder_at(team, "piket", local(2026, 11, 25, 12, 0)) is None
    assert holder_at(team, "piket_second", local(2026, 11, 28, 10, 0)).holder == "Gijs"


def test_koningsdag_is_piket_all_day(team: TeamConfig):
    day_start, day_end = local(2026, 4, 27, 0, 0), local(2026, 4, 28, 0, 0)
    assert shifts_between(team, "bureaudienst", day_start, day_end) == []
    for hour in range(24):
        instant = day_start + timedelta(hours=hour)
        assert not is_active(team, "bureaudienst", instant)
        assert holder_at(team, "piket", instant) is not None
    # One weekend-plus-holiday window: Friday 17:00 until Tuesday 08:30.
    piket = shifts_between(team, "piket", local(2026, 4, 24, 0, 0), local(2026, 4, 29, 0, 0))
    windows = []
    for shift in piket:
        if windows and windows[-1][1] == shift.start:
            windows[-1] = (windows[-1][0], shift.end)
        else:
            windows.append((shift.start, shift.end))
    assert (local(2026, 4, 24, 17, 0), local(2026, 4, 28, 8, 30)) in windows
    shift = holder_at(team, "piket", local(2026, 4, 27, 11, 0))
    assert (shift.start, shift.end) == (local(2026, 4, 26, 17, 0), local(2026, 4, 27, 17, 0))


def test_spring_forward_day_shift_is_23_hours(team: TeamConfig):
    shift = holder_at(team, "piket", local(2026, 3, 29, 12, 0))
    assert shift.holder == "Anna"  # 28 March is index 27
    assert (shift.start, shift.end) == (local(2026, 3, 28, 17, 0), local(2026, 3, 29, 17, 0))
    assert shift.end - shift.start == timedelta(hours=23)


def test_fall_back_day_shift_is_25_hours_and_0230_twice(team: TeamConfig):
    first = local(2026, 10, 25, 2, 30, fold=0)
    second = local(2026, 10, 25, 2, 30, fold=1)
    assert second - first == timedelta(hours=1)
    for instant in (first, second):
        shift = holder_at(team, "piket", instant)
        assert shift.holder == "Anna"  # 24 October is index 237
        assert (shift.start, shift.end) == (local(2026, 10, 24, 17, 0), local(2026, 10, 25, 17, 0))
        assert shift.end - shift.start == timedelta(hours=25)


def test_weekly_shift_across_fall_back_is_169_hours(team: TeamConfig):
    # 23 October is 42 weeks after 2 January: Fleur, until 17:00 local a week later.
    handover_in, handover_out = local(2026, 10, 23, 17, 0), local(2026, 10, 30, 17, 0)
    assert handover_out - handover_in == timedelta(hours=7 * 24 + 1)
    pieces = shifts_between(team, "piket_second", handover_in, local(2026, 10, 31, 0, 0))
    assert {s.holder for s in pieces if s.start < handover_out} == {"Fleur"}
    assert pieces[-1] == Shift(
        "piket_second", "Gijs", handover_out, local(2026, 10, 31, 0, 0), "rotation"
    )


def test_override_splits_a_shift_and_the_latest_wins(team: TeamConfig):
    saturday = (local(2026, 11, 28, 0, 0), local(2026, 11, 29, 0, 0))
    overrides = [
        Override("piket", "Hanna", local(2026, 11, 28, 10, 0), local(2026, 11, 28, 14, 0)),
        Override("piket", "Eva", local(2026, 11, 28, 12, 0), local(2026, 11, 28, 13, 0)),
        Override("bureaudienst", "Dirk", *saturday),  # another duty: ignored here
    ]
    pieces = shifts_between(team, "piket", *saturday, overrides)
    assert [(s.holder, s.source, s.start, s.end) for s in pieces] == [
        ("Bram", "rotation", saturday[0], local(2026, 11, 28, 10, 0)),
        ("Hanna", "override", local(2026, 11, 28, 10, 0), local(2026, 11, 28, 12, 0)),
        ("Eva", "override", local(2026, 11, 28, 12, 0), local(2026, 11, 28, 13, 0)),
        ("Hanna", "override", local(2026, 11, 28, 13, 0), local(2026, 11, 28, 14, 0)),
        ("Bram", "rotation", local(2026, 11, 28, 14, 0), local(2026, 11, 28, 17, 0)),
        ("Cem", "rotation", local(2026, 11, 28, 17, 0), saturday[1]),
    ]
    assert holder_at(team, "piket", local(2026, 11, 28, 12, 30), overrides).holder == "Eva"


def test_absent_holder_leaves_a_gap(team: TeamConfig):
    saturday = (local(2026, 11, 28, 0, 0), local(2026, 11, 29, 0, 0))
    absences = [Absence("Bram", local(2026, 11, 28, 12, 0), local(2026, 11, 29, 12, 0))]
    pieces = shifts_between(team, "piket", *saturday, (), absences)
    assert [(s.holder, s.absent, s.start, s.end) for s in pieces] == [
        ("Bram", None, saturday[0], local(2026, 11, 28, 12, 0)),
        (None, "Bram", local(2026, 11, 28, 12, 0), local(2026, 11, 28, 17, 0)),
        ("Cem", None, local(2026, 11, 28, 17, 0), saturday[1]),
    ]
    gap = holder_at(team, "piket", local(2026, 11, 28, 15, 0), (), absences)
    assert gap.holder is None and gap.absent == "Bram"


def test_absent_override_holder_and_open_absence(team: TeamConfig):
    overrides = [Override("piket", "Hanna", local(2026, 11, 28, 0, 0), local(2026, 11, 29, 0, 0))]
    absences = [Absence("Hanna", local(2026, 11, 1, 0, 0))]  # open-ended
    shift = holder_at(team, "piket", local(2026, 11, 28, 9, 0), overrides, absences)
    assert (shift.holder, shift.source, shift.absent) == (None, "override", "Hanna")


def test_unrostered_duty_and_before_start_are_gaps():
    bare = TeamConfig()
    shift = holder_at(bare, "piket", local(2026, 11, 28, 9, 0))
    assert shift.holder is None and shift.source == "rotation"
    team = TeamConfig.model_validate(
        {"duties": {"piket": {"members": ["Anna"], "start": "2026-12-01"}}}
    )
    assert holder_at(team, "piket", local(2026, 11, 28, 9, 0)).holder is None
    assert holder_at(team, "piket", local(2026, 12, 5, 9, 0)).holder == "Anna"


def test_naive_datetimes_are_refused(team: TeamConfig):
    with pytest.raises(ValueError, match="timezone-aware"):
        holder_at(team, "piket", datetime(2026, 11, 28, 9, 0))
    with pytest.raises(ValueError, match="after its start"):
        Override("piket", "Anna", local(2026, 11, 28, 9, 0), local(2026, 11, 28, 9, 0))


# --- properties ------------------------------------------------------------------------------

YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
instants = st.integers(min_value=0, max_value=366 * 24 * 60 - 1).map(
    lambda minutes: YEAR_START + timedelta(minutes=minutes)
)


@settings(max_examples=200, deadline=None)
@given(instants)
def test_exactly_one_of_bureaudienst_and_piket_is_active(instant: datetime):
    bureau = holder_at(TEAM, "bureaudienst", instant)
    piket = holder_at(TEAM, "piket", instant)
    assert (bureau is None) != (piket is None)
    assert is_active(TEAM, "bureaudienst", instant) == (bureau is not None)
    assert is_active(TEAM, "piket", instant) == (piket is not None)
    assert (holder_at(TEAM, "piket_second", instant) is None) == (piket is None)


@st.composite
def scenarios(draw: st.DrawFn):
    start = draw(instants)
    end = start + timedelta(minutes=draw(st.integers(min_value=0, max_value=10 * 24 * 60)))

    def moment() -> datetime:
        return start + timedelta(minutes=draw(st.integers(-2 * 24 * 60, 12 * 24 * 60)))

    overrides = []
    for _ in range(draw(st.integers(0, 4))):
        begin = moment()
        length = timedelta(minutes=draw(st.integers(1, 3 * 24 * 60)))
        duty = draw(st.sampled_from(["bureaudienst", "piket", "piket_second"]))
        overrides.append(Override(duty, draw(st.sampled_from(NAMES)), begin, begin + length))
    absences = []
    for _ in range(draw(st.integers(0, 3))):
        begin = moment()
        length = draw(st.one_of(st.none(), st.integers(1, 4 * 24 * 60)))
        finish = None if length is None else begin + timedelta(minutes=length)
        absences.append(Absence(draw(st.sampled_from(NAMES)), begin, finish))
    probes = draw(st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=5))
    return start, end, overrides, absences, probes


def _assert_ordered_disjoint(shifts: list[Shift]) -> None:
    for shift in shifts:
        assert shift.start < shift.end
        assert shift.start.tzinfo is not None
    for before, after in pairwise(shifts):
        assert before.end <= after.start


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_shifts_between_tiles_the_span_and_agrees_with_holder_at(scenario):
    start, end, overrides, absences, probes = scenario
    bureau = shifts_between(TEAM, "bureaudienst", start, end, overrides, absences)
    piket = shifts_between(TEAM, "piket", start, end, overrides, absences)
    second = shifts_between(TEAM, "piket_second", start, end, overrides, absences)
    for shifts in (bureau, piket, second):
        _assert_ordered_disjoint(shifts)

    # Bureaudienst and piket together tile [start, end) exactly: contiguous, no overlap.
    tiles = sorted(bureau + piket, key=lambda s: s.start)
    if start == end:
        assert tiles == []
    else:
        assert tiles[0].start == start and tiles[-1].end == end
        for before, after in pairwise(tiles):
            assert before.end == after.start
    # The second line is held exactly when piket is.
    assert _spans(second) == _spans(piket)

    for fraction in probes:
        instant = start + (end - start) * fraction
        if not start <= instant < end:
            continue
        for duty, shifts in (("bureaudienst", bureau), ("piket", piket), ("piket_second", second)):
            found = holder_at(TEAM, duty, instant, overrides, absences)
            inside = [s for s in shifts if s.contains(instant)]
            if found is None:
                assert inside == []
            else:
                assert len(inside) == 1
                piece = inside[0]
                assert (found.holder, found.source, found.absent) == (
                    piece.holder,
                    piece.source,
                    piece.absent,
                )
                assert found.start <= piece.start and piece.end <= found.end
                assert found.contains(instant)


def _spans(shifts: list[Shift]) -> list[tuple[datetime, datetime]]:
    spans: list[tuple[datetime, datetime]] = []
    for shift in shifts:
        if spans and spans[-1][1] == shift.start:
            spans[-1] = (spans[-1][0], shift.end)
        else:
            spans.append((shift.start, shift.end))
    return spans


def test_good_friday_can_be_an_office_day_and_any_day_closed():
    from datetime import date

    from bot.services.rosters.core import is_office_day

    default = DutyConfig()
    assert not is_office_day(default, date(2026, 4, 3))  # Good Friday: a holiday by default
    agreed = DutyConfig.model_validate(
        {"office_hours": {"open_dates": ["2026-04-03"], "closed_dates": ["2026-12-24"]}}
    )
    assert is_office_day(agreed, date(2026, 4, 3))
    assert not is_office_day(agreed, date(2026, 12, 24))
    assert is_office_day(agreed, date(2026, 12, 23))
    with pytest.raises(ValidationError, match="both open_dates and closed_dates"):
        DutyConfig.model_validate(
            {"office_hours": {"open_dates": ["2026-04-03"], "closed_dates": ["2026-04-03"]}}
        )
