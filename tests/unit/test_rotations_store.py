"""The rotations kept in the database (bot/services/rosters/rotations.py): copied from the team
config once, then read by every roster question, the quick alert-route path included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.config.duties import RotationConfig
from bot.config.team import TeamConfig
from bot.models import AuditEvent, Role, RotationRow
from bot.services.rosters import in_force, rotations
from bot.services.rosters.report import build_report
from bot.services.rosters.store import load_roster
from bot.services.team import workdays
from bot.services.team.coaches import add_coach

CONFIG = TeamConfig.model_validate(
    {
        "duties": {
            "bureaudienst": {"members": ["Eva Mulder"], "shift": "week", "start": "2026-11-16"},
            "piket": {"members": ["Anna", "Bram"], "shift": "day", "start": "2026-11-16"},
        }
    }
)
# Monday 23 November 2026, 10:00 and 20:00 local.
MORNING = datetime(2026, 11, 23, 9, tzinfo=UTC)
EVENING = datetime(2026, 11, 23, 19, tzinfo=UTC)


async def test_imported_once_then_the_database_decides(session):
    assert await rotations.import_if_empty(session, CONFIG, MORNING)
    assert not await rotations.import_if_empty(session, CONFIG, MORNING)
    await session.commit()
    assert await session.scalar(select(func.count()).select_from(RotationRow)) == 3
    # A different team config no longer changes the rotations.
    other = TeamConfig.model_validate(
        {"duties": {"piket": {"members": ["Zoë"], "shift": "day", "start": "2026-11-16"}}}
    )
    current = await rotations.current_rotations(session, other)
    assert current["piket"].members == ("Anna", "Bram")
    assert current["bureaudienst"].members == ("Eva Mulder",)


async def test_a_saved_rotation_is_what_the_roster_and_the_alert_route_see(session):
    lead = await add_coach(session, name="Sara", role=Role.TEAMLEAD, config=CONFIG, now=MORNING)
    night = (await load_roster(session, CONFIG, EVENING, EVENING)).holder_at("piket", EVENING)
    assert night.holder == "Bram"
    await rotations.save_rotation(
        session,
        CONFIG,
        "piket",
        RotationConfig.model_validate(
            {"members": ["Cem", "Anna"], "shift": "day", "start": "2026-11-16"}
        ),
        by=lead,
        now=MORNING,
        summary="test",
    )
    await session.commit()
    state = await load_roster(session, CONFIG, EVENING, EVENING)
    assert state.holder_at("piket", EVENING).holder == "Anna"
    now = await in_force.load(session, CONFIG, EVENING)
    assert now.holder("piket").holder == "Anna"
    actions = list(await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["rota.import", "rota.change"]


async def test_a_day_nobody_on_the_rotation_works_is_a_gap_for_the_lead(session):
    eva = await add_coach(session, name="Eva Mulder", role=Role.COACH, config=CONFIG, now=MORNING)
    workdays.set_workdays(session, eva, frozenset({2, 3, 4, 5}), by=eva, now=MORNING)
    await session.commit()
    shift = (await in_force.load(session, CONFIG, MORNING)).holder("bureaudienst")
    assert shift.holder is None
    report = await build_report(session, CONFIG, MORNING - timedelta(hours=2))
    monday_gaps = [g for g in report.gaps if g.duty == "bureaudienst"]
    assert monday_gaps and monday_gaps[0].start == datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


async def test_a_changed_team_config_is_ignored_with_a_warning(sessionmaker, caplog):
    await rotations.import_at_start(sessionmaker, CONFIG, MORNING)
    caplog.clear()
    await rotations.import_at_start(sessionmaker, CONFIG, MORNING)
    assert not caplog.records
    other = TeamConfig.model_validate(
        {"duties": {"piket": {"members": ["Zoë"], "shift": "day", "start": "2026-11-16"}}}
    )
    await rotations.import_at_start(sessionmaker, other, MORNING)
    assert [r.getMessage() for r in caplog.records] == [
        "the rotations of bureaudienst, piket in the database differ from the team config's; "
        "the database's are in force (a team lead changes them with /rota)"
    ]
