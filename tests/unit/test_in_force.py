"""The case card and the alert route ask who holds a duty from only the overrides and absences
in force at that instant (in_force.InForce), not the whole roster: they must get the same
answer as roster.holder_at with every override and absence."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings

from bot.services.rosters.core import Absence, Override, holder_at
from bot.services.rosters.in_force import InForce
from tests.unit.test_roster import TEAM, scenarios

INSTANT = timedelta(microseconds=1)


def _in_force_at(instant, overrides: list[Override], absences: list[Absence]) -> InForce:
    """What in_force.load reads at `instant`: the rows covering it, cut to that instant."""
    return InForce(
        now=instant,
        config=TEAM,
        absent={},
        overrides=[
            Override(o.duty, o.holder, instant, instant + INSTANT)
            for o in overrides
            if o.covers(instant)
        ],
        absences=[
            Absence(a.name, instant, instant + INSTANT) for a in absences if a.covers(instant)
        ],
        ids={},
    )


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_the_rows_in_force_give_the_same_holder_as_the_whole_roster(scenario):
    start, end, overrides, absences, probes = scenario
    for fraction in probes:
        instant = start + (end - start) * fraction
        now = _in_force_at(instant, overrides, absences)
        for duty in ("bureaudienst", "piket", "piket_second"):
            expected = holder_at(TEAM, duty, instant, overrides, absences)
            found = now.holder(duty)
            if expected is None:
                assert found is None
            else:
                assert found is not None
                assert (found.holder, found.absent, found.source) == (
                    expected.holder,
                    expected.absent,
                    expected.source,
                )
