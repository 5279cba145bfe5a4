"""Approved plan shifts in the pure roster: they take the rotation's place over their span,
a planned gap is a gap, and overrides and absences still apply on top."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config.duties import PlannedShift
from bot.config.team import TeamConfig
from bot.services.rosters.core import Absence, Override, holder_at, shifts_between

TEAM = TeamConfig.model_validate(
    {"duties": {"piket": {"members": ["Anna", "Bram"], "shift": "day", "start": "2026-11-16"}}}
)
# Local 17:00 on 23, 24 and 25 November (winter time: UTC+1).
MON, TUE, WED = (datetime(2026, 11, d, 16, tzinfo=UTC) for d in (23, 24, 25))


def _with_plan(*planned: PlannedShift) -> TeamConfig:
    return TEAM.model_copy(update={"duties": TEAM.duties.with_rota(planned=planned)})


def test_plan_shifts_replace_the_rotation_only_over_their_span():
    config = _with_plan(
        PlannedShift("piket", "Cem", MON, TUE), PlannedShift("piket", None, TUE, WED)
    )
    night = datetime(2026, 11, 23, 22, tzinfo=UTC)
    assert holder_at(TEAM, "piket", night).holder == "Bram"
    assert holder_at(config, "piket", night).holder == "Cem"
    assert holder_at(config, "piket", datetime(2026, 11, 24, 22, tzinfo=UTC)).holder is None
    # After the plan the rotation again.
    assert holder_at(config, "piket", datetime(2026, 11, 25, 22, tzinfo=UTC)).holder == "Bram"
    pieces = shifts_between(config, "piket", MON, WED)
    assert [p.holder for p in pieces] == ["Cem", None]


def test_overrides_and_absences_stay_on_top_of_a_plan():
    config = _with_plan(PlannedShift("piket", "Cem", MON, TUE))
    night = datetime(2026, 11, 23, 22, tzinfo=UTC)
    override = Override("piket", "Dirk", MON, TUE)
    assert holder_at(config, "piket", night, [override]).holder == "Dirk"
    away = holder_at(config, "piket", night, absences=[Absence("Cem", MON, TUE)])
    assert (away.holder, away.absent) == (None, "Cem")
    assert config.duties.rostered("piket")
