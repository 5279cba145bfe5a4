"""The demo team: realistic enough to try every feature, and never loaded twice."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.demo_data import (
    COACHES,
    PEOPLE,
    SICK_COACH,
    DemoDataRefused,
    demo_config,
    load_demo_data,
)
from bot.models import AbsenceKind, AbsenceRecord, Alert, AlertStatus, Case, Coach, Role
from bot.services.rosters.store import load_roster
from bot.services.team.coaches import find_by_name


@pytest.fixture
def config():
    return demo_config()


@pytest.fixture
async def loaded(session, config, clock):
    summary = await load_demo_data(session, config, clock.now())
    await session.commit()
    return summary


async def _all(session, model):
    return (await session.scalars(select(model))).all()


async def test_a_team_of_ten_coaches_a_lead_and_a_partner_all_enrolled(session, loaded):
    people = await _all(session, Coach)
    assert Counter(p.role for p in people) == {Role.COACH: 10, Role.TEAMLEAD: 1, Role.PARTNER: 1}
    assert all(0.6 <= p.fte <= 1.0 for p in people)
    ids = [p.telegram_user_id for p in people]
    assert None not in ids and len(set(ids)) == len(ids)


async def test_about_seventy_families_six_to_ten_per_coach_each_with_a_backup(
    session, loaded, clock, config
):
    cases = await _all(session, Case)
    assert len(cases) == loaded.families
    assert 65 <= len(cases) <= 75
    assert all(re.fullmatch(r"ALM-\d{4}", c.code) for c in cases)
    coaches = {c.id: c for c in await _all(session, Coach)}
    per_coach = Counter(c.coach_id for c in cases)
    assert {coaches[i].role for i in per_coach} == {Role.COACH}
    for coach_id, load in per_coach.items():
        assert 6 <= load <= min(10, coaches[coach_id].caseload_limit), coaches[coach_id].name
    assert all(c.backup_coach_id not in (None, c.coach_id) for c in cases)
    today = clock.now().astimezone(config.tz).date()
    overdue = [c for c in cases if c.next_evaluation and c.next_evaluation < today]
    assert 3 <= len(overdue) <= len(cases) // 3
    assert all(c.last_contact and c.last_contact <= today for c in cases)
    assert len({c.referrer for c in cases}) >= 5
    assert len({c.safety_status for c in cases}) == 4
    assert len({c.phase for c in cases}) >= 4


async def test_one_coach_is_off_sick_and_the_open_alert_skips_them(session, loaded, clock):
    absences = await _all(session, AbsenceRecord)
    sick = await find_by_name(session, SICK_COACH)
    assert [(a.coach_id, a.kind, a.end) for a in absences] == [(sick.id, AbsenceKind.SICK, None)]
    assert absences[0].start < clock.now()

    alerts = await _all(session, Alert)
    assert [a.status for a in alerts] == [AlertStatus.OPEN]
    alert = alerts[0]
    assert alert.own_coach_id == sick.id
    first_step = alert.chain[0]["coach_ids"]
    assert first_step and sick.id not in first_step
    reporter = await session.get(Coach, alert.reporter_id)
    assert reporter.role == Role.PARTNER


async def test_loading_again_is_refused_and_adds_nothing(session, loaded, config, clock):
    with pytest.raises(DemoDataRefused):
        await load_demo_data(session, config, clock.now() + timedelta(days=1))
    await session.rollback()
    assert await session.scalar(select(func.count()).select_from(Coach)) == len(PEOPLE)
    assert await session.scalar(select(func.count()).select_from(Alert)) == 1


async def test_the_same_day_gives_the_same_families(engine, config, clock, sessionmaker):
    async def codes_after_load() -> list[tuple]:
        async with sessionmaker() as session:
            await load_demo_data(session, config, clock.now())
            rows = [(c.code, c.phase, c.next_evaluation) for c in await _all(session, Case)]
            await session.rollback()
        return sorted(rows)

    assert await codes_after_load() == await codes_after_load()


async def test_the_demo_rosters_name_only_demo_coaches_and_cover_christmas(session, loaded, config):
    assert set(config.duties.members()) <= {p.name for p in COACHES}
    christmas_noon = datetime(2026, 12, 25, 12, 0, tzinfo=config.tz)
    roster = await load_roster(session, config, christmas_noon, christmas_noon + timedelta(hours=1))
    # A public holiday: no bureaudienst, the piket coach answers all day.
    assert roster.holder_at("bureaudienst", christmas_noon) is None
    assert roster.holder_at("piket", christmas_noon).holder in config.duties.piket.members


async def test_back_ups_cover_most_of_the_sick_coachs_families_and_25_wait(
    session, loaded, config, clock
):
    from bot.models import CaseCover, CoverStatus, WaitlistEntry
    from bot.models.waitlist_terms import EntryStatus
    from bot.services.waitlist import store as waitlist

    sick = await find_by_name(session, SICK_COACH)
    families = (await session.scalars(select(Case).where(Case.coach_id == sick.id))).all()
    covers = await _all(session, CaseCover)
    assert len(covers) == len(families) - 2 == loaded.covered  # two gaps, one with the alert
    assert all(c.status == CoverStatus.ACCEPTED and c.coach_id != sick.id for c in covers)
    entries = await _all(session, WaitlistEntry)
    assert len(entries) == 25 == loaded.waiting
    assert Counter(e.status for e in entries)[EntryStatus.REFERRED] == 3
    ranked = await waitlist.ranked_list(session, config, clock.now())
    assert len(ranked) == 22
    assert len({round(p.scored.total, 1) for p in ranked}) > 10  # a varied order, not a tie
