"""Planning roster notices into the outbox: idempotent, and right about what is due when."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import OutboxMessage, OverrideKind, Role, RosterOverride
from bot.scheduling.notices import RENDERERS, Obsolete, Text
from bot.scheduling.planner import next_digest, plan
from bot.services.team.coaches import add_coach

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 in Amsterdam


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": {
                "piket": {
                    "members": ["Anna de Vries", "bram jansen", "Dirk Smit"],
                    "shift": "day",
                    "start": date(2026, 10, 2),
                },
            }
        }
    )


async def _team(session, config):
    coaches = {}
    for name, role in [
        ("Anna de Vries", Role.COACH),
        ("Bram Jansen", Role.COACH),
        ("Sara Bakker", Role.TEAMLEAD),
    ]:
        coaches[name] = await add_coach(session, name=name, role=role, config=config, now=NOW)
    return coaches


async def _rows(session) -> dict[str, OutboxMessage]:
    return {row.key: row for row in await session.scalars(select(OutboxMessage))}


async def test_planning_twice_adds_nothing_new(session, config):
    await _team(session, config)
    first = await plan(session, config, NOW)
    assert first > 0
    assert await plan(session, config, NOW) == 0
    assert await plan(session, config, NOW + timedelta(minutes=1)) == 0


async def test_reminder_for_the_linked_coach_and_a_report_for_an_unknown_one(session, config):
    coaches = await _team(session, config)
    await plan(session, config, NOW)
    rows = await _rows(session)
    bram = coaches["Bram Jansen"]
    # "bram jansen" in the config is linked to the coach Bram Jansen.
    reminder = rows[f"remind:piket:2026-11-23T16:00:00+00:00:{bram.id}"]
    assert reminder.due_at == datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    assert reminder.payload["end"] == "2026-11-24T07:30:00+00:00"
    # Dirk Smit (Tuesday night) has no Coach record: the team lead hears it a day ahead.
    await plan(session, config, datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
    rows = await _rows(session)
    lead = coaches["Sara Bakker"]
    unknown = rows[f"unreachable:piket:2026-11-24T16:00:00+00:00:Dirk Smit:{lead.id}"]
    assert unknown.payload["reason"] == "not_in_bot"
    assert unknown.coach_id == lead.id


async def test_a_reminder_becomes_obsolete_when_the_shift_is_given_away(session, config):
    coaches = await _team(session, config)
    await plan(session, config, NOW)
    bram, anna = coaches["Bram Jansen"], coaches["Anna de Vries"]
    reminder = (await _rows(session))[f"remind:piket:2026-11-23T16:00:00+00:00:{bram.id}"]
    due = reminder.due_at
    from bot.i18n import translator

    tr = translator("nl", config.tz)
    assert isinstance(await RENDERERS["shift_reminder"](session, config, reminder, tr, due), Text)
    session.add(
        RosterOverride(
            duty="piket",
            coach_id=anna.id,
            start=datetime(2026, 11, 23, 16, 0, tzinfo=UTC),
            end=datetime(2026, 11, 24, 7, 30, tzinfo=UTC),
            kind=OverrideKind.OVERRIDE,
            created_at=NOW,
        )
    )
    await session.flush()
    outcome = await RENDERERS["shift_reminder"](session, config, reminder, tr, due)
    assert isinstance(outcome, Obsolete)
    await plan(session, config, NOW + timedelta(minutes=5))
    assert f"remind:piket:2026-11-23T16:00:00+00:00:{anna.id}" in await _rows(session)


def test_weekly_digest_on_monday_morning_local_time(config):
    # Monday 08:00 in Amsterdam is 07:00 UTC in winter and 06:00 UTC in summer.
    assert next_digest(config, NOW) == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert next_digest(config, datetime(2026, 11, 23, 6, 0, tzinfo=UTC)) == datetime(
        2026, 11, 23, 7, 0, tzinfo=UTC
    )
    assert next_digest(config, datetime(2026, 3, 28, 12, 0, tzinfo=UTC)) == datetime(
        2026, 3, 30, 6, 0, tzinfo=UTC
    )


def test_a_week_of_piket_nights_is_one_handover():
    from bot.scheduling.planner import runs
    from bot.services.rosters.core import shifts_between

    config = TeamConfig.model_validate(
        {"duties": {"piket": {"members": ["Anna", "Bram"], "start": date(2026, 11, 16)}}}
    )
    week = shifts_between(config, "piket", NOW, NOW + timedelta(days=14))
    handovers = runs(config, week)
    # Bram holds every night and the weekend until Monday 30 November 17:00, then Anna.
    assert [(r.holder, r.start.isoformat()) for r in handovers] == [
        ("Bram", "2026-11-23T16:00:00+00:00"),
        ("Anna", "2026-11-30T16:00:00+00:00"),
    ]
