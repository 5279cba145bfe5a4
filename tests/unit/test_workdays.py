"""Workdays: what a lead, a CSV cell or a coach may type, and the pure roster's rule that an
office-hours duty never falls on a coach's free day (the next member who works it takes it,
else it is a gap)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config.team import TeamConfig
from bot.services.imports.coaches import import_coaches
from bot.services.rosters.core import holder_at, shifts_between
from bot.services.team import workdays
from bot.services.team.coaches import find_by_name

MON_THU = frozenset({1, 2, 3, 4})


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-thu", MON_THU),
        ("ma-do", MON_THU),
        ("ma,di,wo,do", MON_THU),
        ("mon/tue/thu/fri", frozenset({1, 2, 4, 5})),
        ("Maandag, Dinsdag", frozenset({1, 2})),
        ("alle", frozenset(range(1, 8))),
        ("do-ma", None),
        ("mon-funday", None),
        ("", None),
    ],
)
def test_parse(text, days):
    assert workdays.parse(text) == days


def test_stored_form_round_trips_and_every_day_is_none():
    assert workdays.stored(MON_THU) == "mon,tue,wed,thu"
    assert workdays.from_stored("mon,tue,wed,thu") == MON_THU
    assert workdays.stored(frozenset(range(1, 8))) is None
    assert workdays.from_stored(None) is None


TEAM = TeamConfig.model_validate(
    {
        "duties": {
            "bureaudienst": {
                "members": ["Eva", "Dirk", "Anna"],
                "shift": "week",
                "start": "2026-11-16",
            },
        }
    }
)


def _friday(config: TeamConfig) -> str | None:
    shift = holder_at(config, "bureaudienst", datetime(2026, 11, 20, 10, tzinfo=UTC))
    return shift.holder if shift else "not held"


def test_a_free_day_goes_to_the_next_member_who_works_it():
    assert _friday(TEAM) == "Eva"
    eva_part_time = TEAM.duties.with_rota(workdays={"Eva": MON_THU})
    assert _friday(TEAM.model_copy(update={"duties": eva_part_time})) == "Dirk"
    both = TEAM.duties.with_rota(workdays={"Eva": MON_THU, "Dirk": MON_THU})
    assert _friday(TEAM.model_copy(update={"duties": both})) == "Anna"
    # Thursday is still Eva's.
    week = shifts_between(
        TEAM.model_copy(update={"duties": both}),
        "bureaudienst",
        datetime(2026, 11, 19, tzinfo=UTC),
        datetime(2026, 11, 21, tzinfo=UTC),
    )
    assert [s.holder for s in week] == ["Eva", "Anna"]


def test_nobody_working_that_day_is_a_gap():
    nobody = TEAM.duties.with_rota(
        workdays={"Eva": MON_THU, "Dirk": MON_THU, "Anna": frozenset({1})}
    )
    assert _friday(TEAM.model_copy(update={"duties": nobody})) is None


async def test_the_coaches_csv_sets_workdays(session, config, clock):
    report = await import_coaches(
        session,
        "name,fte,workdays\nAnna de Vries,0.8,ma-do\nBram Jansen,1,\n",
        config=config,
        now=clock.now(),
    )
    assert report.ok, report.problems
    assert (await find_by_name(session, "Anna de Vries")).workdays == "mon,tue,wed,thu"
    assert (await find_by_name(session, "Bram Jansen")).workdays is None
    bad = await import_coaches(
        session, "name,workdays\nAnna de Vries,mon-funday\n", config=config, now=clock.now()
    )
    assert [(p.line, p.column) for p in bad.problems] == [(2, "workdays")]
