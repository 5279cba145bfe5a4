"""Roster plans in the database: a later approved plan replaces an earlier one where they
overlap, and the comparison for /rosterreport sets the roster in force against the plan."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from bot.config.team import TeamConfig
from bot.models import Role, RosterPlanShift
from bot.services.rosters import plans
from bot.services.rosters.store import load_roster
from bot.services.team.coaches import add_coach

NAMES = ("Anna", "Bram", "Cem")
CONFIG = TeamConfig.model_validate(
    {
        "duties": {
            "bureaudienst": {"members": list(NAMES), "shift": "week", "start": "2026-11-16"},
            "piket": {"members": list(NAMES), "shift": "day", "start": "2026-11-16"},
        }
    }
)
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


async def _team(session):
    lead = await add_coach(session, name="Sara", role=Role.TEAMLEAD, config=CONFIG, now=NOW)
    for name in NAMES:
        await add_coach(session, name=name, role=Role.COACH, config=CONFIG, now=NOW)
    return lead


async def _holders(session, start: datetime, end: datetime) -> list[tuple[str, str | None]]:
    state = await load_roster(session, CONFIG, start, end)
    return [(s.duty, s.holder) for s in state.all_shifts(start, end)]


async def test_a_later_plan_replaces_an_earlier_one_where_they_overlap(session):
    lead = await _team(session)
    first = await plans.propose(
        session, CONFIG, lead, plans.PlanRequest(date(2026, 11, 30), 2), NOW
    )
    assert await plans.decide(session, CONFIG, lead, first.plan_id, True, NOW) == (
        plans.Outcome.APPROVED
    )
    second = await plans.propose(
        session, CONFIG, lead, plans.PlanRequest(date(2026, 12, 7), 2), NOW
    )
    await plans.decide(session, CONFIG, lead, second.plan_id, True, NOW)
    await session.commit()
    left = await session.scalar(
        select(func.count())
        .select_from(RosterPlanShift)
        .where(
            RosterPlanShift.plan_id == first.plan_id,
            RosterPlanShift.start >= datetime(2026, 12, 7, tzinfo=UTC),
        )
    )
    assert left == 0
    week = (datetime(2026, 12, 7, 7, tzinfo=UTC), datetime(2026, 12, 14, 7, tzinfo=UTC))
    expected = [
        (slot.duty, holder)
        for slot, holder in second.proposal.assignments
        if week[0] <= slot.start < week[1]
    ]
    shown = await _holders(session, *week)
    assert [h for _, h in shown if h] and set(shown) <= set(expected)
    # Approving twice, or a discarded plan, does nothing.
    assert await plans.decide(session, CONFIG, lead, second.plan_id, True, NOW) == (
        plans.Outcome.GONE
    )


async def test_the_comparison_sets_the_roster_in_force_against_the_plan(session):
    lead = await _team(session)
    proposed = await plans.propose(
        session, CONFIG, lead, plans.PlanRequest(date(2026, 11, 30), 13), NOW
    )
    await session.commit()
    comparison = await plans.compare(session, CONFIG, NOW)
    assert comparison is not None and comparison.plan_id == proposed.plan_id
    assert [c.name for c in comparison.coaches] == list(NAMES)
    # Everyone on every rotation at 1 fte: the plan evens hours out better than the rotation
    # (which hands out whole weeks of bureaudienst).
    assert comparison.planned_spread <= comparison.in_force_spread
    assert comparison.planned_spread < 0.1
