"""The roster report: duty hours against fte shares, gaps, coaches rostered while absent and
rest-rule conflicts, computed from a roster without Telegram."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config.team import TeamConfig
from bot.i18n import translator
from bot.models import AbsenceRecord, Coach, Role
from bot.models.absence import AbsenceKind
from bot.services.rosters.core import Absence, Override
from bot.services.rosters.report import build_report, compute_report
from bot.services.rosters.store import RosterState
from bot.services.team.coaches import add_coach
from bot.texts.roster_report import report_text
from bot.texts.split import split_message

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 in Amsterdam


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS).astimezone(UTC)


def team(**duties: object) -> TeamConfig:
    return TeamConfig.model_validate({"duties": duties})


def state(
    config: TeamConfig,
    fte: dict[str, float],
    overrides: list[Override] = (),  # type: ignore[assignment]
    absences: list[Absence] = (),  # type: ignore[assignment]
) -> RosterState:
    coaches = {name: Coach(name=name, fte=value, role=Role.COACH) for name, value in fte.items()}
    unlinked = [name for name in config.duties.members() if name not in coaches]
    return RosterState(config, list(overrides), list(absences), coaches, unlinked)


def by_name(period) -> dict:
    return {coach.name: coach for coach in period.coaches}


def test_shares_follow_fte_and_a_half_time_coach_on_a_full_turn_is_flagged():
    config = team(piket={"members": ["Anna", "Bram", "Cem"], "shift": "day", "start": "2026-09-01"})
    report = compute_report(state(config, {"Anna": 0.5, "Bram": 1.0}), NOW)

    for period in (report.past, report.coming):
        coaches = by_name(period)
        held = period.held_hours
        # Cem has no Coach record: counted as a full fte, so the fte total is 2.5.
        assert coaches["Anna"].share == pytest.approx(held * 0.5 / 2.5)
        assert coaches["Bram"].share == pytest.approx(held * 1.0 / 2.5)
        assert coaches["Cem"].share == pytest.approx(held * 1.0 / 2.5)
        assert (coaches["Cem"].linked, coaches["Cem"].fte) == (False, 1.0)
        # Equal turns: Anna, at half time, carries about twice her share; the others less.
        assert [c.name for c in period.coaches if c.over_share] == ["Anna"]
        assert coaches["Anna"].difference > 0 > coaches["Bram"].difference


def test_absence_makes_gaps_and_a_missing_rotation_too():
    config = team(
        piket={"members": ["Bram"], "shift": "week", "start": "2026-09-01"},
        bureaudienst={"members": ["Dirk"], "shift": "week", "start": "2026-11-30"},
    )
    absence = Absence("Bram", local(2026, 11, 24, 0, 0), local(2026, 11, 26, 0, 0))
    report = compute_report(state(config, {"Bram": 1.0, "Dirk": 1.0}, absences=[absence]), NOW)

    piket_gaps = [(g.start, g.end, g.absent) for g in report.gaps if g.duty == "piket"]
    assert piket_gaps == [
        (local(2026, 11, 24, 0, 0), local(2026, 11, 24, 8, 30), "Bram"),
        (local(2026, 11, 24, 17, 0), local(2026, 11, 25, 8, 30), "Bram"),
        (local(2026, 11, 25, 17, 0), local(2026, 11, 26, 0, 0), "Bram"),
    ]
    assert [(g.duty, g.absent) for g in report.absent_rostered] == [("piket", "Bram")] * 3
    # Bureaudienst has nobody until its rotation starts; today's gap shows from 08:30.
    office_gaps = [g for g in report.gaps if g.duty == "bureaudienst"]
    assert [g.start for g in office_gaps] == [local(2026, 11, d, 8, 30) for d in range(23, 28)]
    assert all(g.absent is None for g in office_gaps)

    text = report_text(translator("nl", AMS), report)
    assert "- Piket: di 24 nov 17:00 – wo 25 nov 08:30, Bram is afwezig" in text
    assert "- Bureaudienst: ma 23 nov 08:30–17:00, niemand ingeroosterd" in text
    assert "- Bram: 3 diensten" in text


def test_rest_rule_conflicts_name_the_coach_and_both_shifts():
    config = team(
        bureaudienst={"members": ["Bram"], "shift": "week", "start": "2026-11-16"},
        piket={"members": ["Anna"], "shift": "day", "start": "2026-11-01"},
        rest_rules=[{"after": "piket", "before": "bureaudienst", "min_rest_hours": 11}],
    )
    overrides = [
        # Tuesday night, split over two overrides: still one night ending Wednesday 08:30.
        Override("piket", "Bram", local(2026, 11, 24, 17, 0), local(2026, 11, 24, 22, 0)),
        Override("piket", "Bram", local(2026, 11, 24, 22, 0), local(2026, 11, 25, 8, 30)),
        # Thursday evening until 22:00: 10.5 hours before Friday's bureaudienst.
        Override("piket", "Bram", local(2026, 11, 26, 17, 0), local(2026, 11, 26, 22, 0)),
        # Friday into Saturday: the weekend is rest enough before Monday.
        Override("piket", "Bram", local(2026, 11, 27, 17, 0), local(2026, 11, 28, 17, 0)),
    ]
    report = compute_report(state(config, {"Anna": 1.0, "Bram": 1.0}, overrides), NOW)

    found = [
        (c.coach, c.earlier.start, c.earlier.end, c.later.start, c.rest_hours)
        for c in report.rest_conflicts
    ]
    assert found == [
        (
            "Bram",
            local(2026, 11, 24, 17),
            local(2026, 11, 25, 8, 30),
            local(2026, 11, 25, 8, 30),
            0,
        ),
        (
            "Bram",
            local(2026, 11, 26, 17),
            local(2026, 11, 26, 22),
            local(2026, 11, 27, 8, 30),
            10.5,
        ),
    ]
    text = report_text(translator("en", AMS), report)
    assert (
        "- Bram: On call (piket) Thu 26 Nov 17:00–22:00, "
        "then Bureaudienst Fri 27 Nov 08:30–17:00: 10.5 hours rest"
    ) in text


@pytest.mark.parametrize(
    ("weekend", "now", "hours"),
    [
        # Clocks go back in the night of Saturday 24 to Sunday 25 October 2026.
        ((2026, 10, 24), datetime(2026, 10, 26, 8, tzinfo=UTC), 25),
        # Clocks go forward in the night of Saturday 28 to Sunday 29 March 2026.
        ((2026, 3, 28), datetime(2026, 3, 30, 7, tzinfo=UTC), 23),
    ],
)
def test_a_piket_day_across_the_clock_change_counts_real_hours(weekend, now, hours):
    config = team(piket={"members": ["Bram"], "shift": "day", "start": "2026-01-01"})
    saturday = date(*weekend)
    override = Override(
        "piket",
        "Anna",
        local(saturday.year, saturday.month, saturday.day, 17, 0),
        local(saturday.year, saturday.month, saturday.day + 1, 17, 0),
    )
    report = compute_report(state(config, {"Anna": 1.0, "Bram": 1.0}, [override]), now)

    anna = by_name(report.past)["Anna"]
    assert anna.hours == {"piket": hours}
    assert (anna.on_rotation, anna.over_share) == (False, False)


async def test_build_report_reads_fte_and_absences_from_the_database(session):
    config = team(
        piket={"members": ["Anna de Vries", "Bram Jansen"], "shift": "day", "start": "2026-10-02"}
    )
    anna = await add_coach(
        session, name="Anna de Vries", role=Role.COACH, config=config, now=NOW, fte=0.5
    )
    await add_coach(session, name="Bram Jansen", role=Role.COACH, config=config, now=NOW)
    session.add(
        AbsenceRecord(
            coach_id=anna.id,
            kind=AbsenceKind.SICK,
            start=local(2026, 11, 23, 0, 0),
            end=None,
            created_at=NOW,
        )
    )
    await session.commit()

    report = await build_report(session, config, NOW)

    coaches = by_name(report.coming)
    assert (coaches["Anna de Vries"].fte, coaches["Anna de Vries"].linked) == (0.5, True)
    assert coaches["Anna de Vries"].hours == {}  # sick for the whole period
    assert report.gaps and all(g.absent == "Anna de Vries" for g in report.gaps)
    assert report.unlinked == []


def test_long_text_is_split_on_line_boundaries():
    lines = [f"- Piket: regel {i}, Bram is afwezig" for i in range(400)]
    text = "\n".join(lines)
    pieces = split_message(text)

    assert len(pieces) > 1
    assert all(len(piece) <= 4096 for piece in pieces)
    assert [line for piece in pieces for line in piece.split("\n")] == lines


def test_only_a_line_longer_than_a_message_is_cut_inside():
    text = "kop\n" + "x" * 5000 + "\nstaart"
    assert split_message(text) == ["kop", "x" * 4096, "x" * 904 + "\nstaart"]


def test_no_rosters_no_report():
    report = compute_report(state(team(), {}), NOW)
    assert report_text(translator("nl", AMS), report).startswith(
        "Er zijn nog geen diensten ingeroosterd"
    )
