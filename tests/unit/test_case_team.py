"""Services behind /caseload, /assign, /phase, the morning reminder and the retention purge,
without Telegram."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import (
    Alert,
    AlertStatus,
    AuditEvent,
    Case,
    CaseContact,
    Coach,
    Phase,
    Role,
)
from bot.runtime import Runtime
from bot.scheduling.case_notices import next_reminder
from bot.scheduling.clock import ManualClock
from bot.scheduling.retention_job import run_retention
from bot.services.cases import admin as case_admin
from bot.services.cases.admin import Assignment, NeedsConfirmation, Problem, Refusal
from bot.services.cases.caseload import caseloads, is_active
from bot.services.cases.reminders import due_for
from bot.services.cases.retention import months_before, purge
from bot.services.team.coaches import add_coach

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)


def test_cases_section_defaults_and_validation():
    config = TeamConfig.model_validate({"cases": {"digest_time": "07:45", "retention_months": 36}})
    assert config.cases.digest_time.hour == 7 and config.cases.retention_months == 36
    assert TeamConfig().cases.evaluation_warning_days == 7
    assert TeamConfig().cases.stale_contact_days == 14
    with pytest.raises(ValidationError, match="digest_time"):
        TeamConfig.model_validate({"cases": {"digest_time": "8 uur"}})
    with pytest.raises(ValidationError, match="extra"):
        TeamConfig.model_validate({"cases": {"retention_years": 2}})


def test_active_case():
    open_case = Case(code="A", phase=Phase.UITVOERING)
    assert is_active(open_case, TODAY)
    closing = Case(code="B", phase=Phase.AFSLUITING, end_date=date(2026, 12, 1))
    assert is_active(closing, TODAY)
    closed = Case(code="C", phase=Phase.AFSLUITING, end_date=TODAY)
    assert not is_active(closed, TODAY)


def test_months_before_clamps_to_the_end_of_the_month():
    assert months_before(date(2026, 11, 23), 24) == date(2024, 11, 23)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_next_reminder_skips_weekends_and_public_holidays():
    config = TeamConfig()
    friday_noon = datetime(2026, 12, 24, 11, 0, tzinfo=UTC)  # Thursday 24 Dec, 12:00
    # Christmas (Friday) and the weekend are skipped: Monday 28 December, 08:00 local.
    assert next_reminder(config, friday_noon) == datetime(2026, 12, 28, 7, 0, tzinfo=UTC)
    agreed_open = TeamConfig.model_validate(
        {"duties": {"office_hours": {"open_dates": [date(2026, 12, 25)]}}}
    )
    assert next_reminder(agreed_open, friday_noon) == datetime(2026, 12, 25, 7, 0, tzinfo=UTC)


def test_a_team_without_office_days_has_no_morning_reminder():
    # Piket around the clock: planning used to fail on every tick with an AssertionError.
    piket_only = TeamConfig.model_validate({"duties": {"office_hours": {"weekdays": []}}})
    assert next_reminder(piket_only, datetime(2026, 11, 23, 12, 0, tzinfo=UTC)) is None


async def _people(session, config) -> dict[str, Coach]:
    people = {}
    for name, role in (
        ("Sara Bakker", Role.TEAMLEAD),
        ("Anna de Vries", Role.COACH),
        ("Anna Bos", Role.COACH),
        ("Bram Jansen", Role.COACH),
        ("Zoë Öztürk", Role.COACH),
    ):
        people[name.split()[0] if name != "Anna Bos" else "Bos"] = await add_coach(
            session, name=name, role=role, config=config, now=NOW
        )
    return people


async def test_caseloads_sorted_by_room(session):
    p = await _people(session, TeamConfig())
    p["Anna"].caseload_limit = 2
    session.add_all(
        [
            Case(code="A1", coach_id=p["Anna"].id),
            Case(code="A2", coach_id=p["Anna"].id),
            Case(code="S1", coach_id=p["Sara"].id),
            Case(code="X", coach_id=p["Bram"].id, phase=Phase.AFSLUITING, end_date=TODAY),
        ]
    )
    await session.flush()
    loads = await caseloads(session, TODAY)
    assert [(load.coach.name, load.families, load.room) for load in loads] == [
        ("Anna Bos", 0, 10),
        ("Bram Jansen", 0, 10),
        ("Zoë Öztürk", 0, 10),
        ("Sara Bakker", 1, 9),  # a team lead is listed because she holds a family
        ("Anna de Vries", 2, 0),
    ]


async def test_assign_splits_names_and_folds_accents(session):
    p = await _people(session, TeamConfig())
    session.add(Case(code="ALM-0417", coach_id=p["Bram"].id))
    await session.flush()

    async def assign(*words: str):
        return await case_admin.assign(
            session,
            lead=p["Sara"],
            code="alm-0417",
            names=list(words),
            quoted=False,
            today=TODAY,
            now=NOW,
        )

    done = await assign("anna", "de", "vries", "zoe")
    assert isinstance(done, Assignment)
    assert (done.coach.name, done.backup.name, done.old_coach.name) == (
        "Anna de Vries",
        "Zoë Öztürk",
        "Bram Jansen",
    )
    ambiguous = await assign("anna")
    assert ambiguous == Refusal(Problem.AMBIGUOUS_COACH, "anna", ["Anna Bos", "Anna de Vries"])
    unknown_backup = await assign("bram", "xander")
    assert unknown_backup.problem is Problem.UNKNOWN_COACH and unknown_backup.detail == "xander"
    p["Bram"].caseload_limit = 0
    asked = await assign("bram")
    assert isinstance(asked, NeedsConfirmation) and asked.families == 0
    case = await session.scalar(select(Case).where(Case.code == "ALM-0417"))
    assert case.coach_id == p["Anna"].id  # only the first call changed anything


async def test_phase_names_and_reopening(session):
    p = await _people(session, TeamConfig())
    session.add(Case(code="GZ-1", coach_id=p["Anna"].id))
    await session.flush()

    async def phase(text: str):
        return await case_admin.set_phase(
            session, lead=p["Sara"], code="GZ-1", phase_text=text, today=TODAY, now=NOW
        )

    case = (await phase("Closure")).case
    assert (case.phase, case.end_date) == (Phase.AFSLUITING, TODAY)
    case = (await phase("EVALUATION")).case
    assert (case.phase, case.end_date) == (Phase.EVALUATIE, None)
    assert (await phase("UITVOERING")).case.phase is Phase.UITVOERING
    assert (await phase("done")).problem is Problem.UNKNOWN_PHASE


async def test_due_for_uses_the_configured_days(session):
    p = await _people(session, TeamConfig())
    anna = p["Anna"].id
    session.add_all(
        [
            Case(code="E3", coach_id=anna, next_evaluation=date(2026, 11, 26), last_contact=TODAY),
            Case(code="E9", coach_id=anna, next_evaluation=date(2026, 12, 2), last_contact=TODAY),
            Case(code="C5", coach_id=anna, last_contact=date(2026, 11, 18)),
        ]
    )
    await session.flush()
    rules = TeamConfig.model_validate(
        {"cases": {"evaluation_warning_days": 3, "stale_contact_days": 5}}
    ).cases
    due = await due_for(session, rules, anna, TODAY)
    assert [c.code for c in due.evaluations] == ["E3"]
    assert [c.code for c in due.stale] == ["C5"]


async def test_purge_leaves_open_alerts_and_is_idempotent(session):
    p = await _people(session, TeamConfig())
    anna = p["Anna"].id
    case = Case(code="OLD", coach_id=anna, phase=Phase.AFSLUITING, end_date=date(2024, 1, 1))
    session.add(case)
    await session.flush()
    for status in (AlertStatus.RESOLVED, AlertStatus.TAKEN):
        session.add(
            Alert(
                case_code="OLD",
                case_id=case.id,
                text="tekst",
                reporter_id=anna,
                raised_at=NOW,
                in_office_hours=True,
                chain=[],
                status=status,
            )
        )
    session.add(CaseContact(case_id=case.id, coach_id=anna, on=TODAY, recorded_at=NOW, note="n"))
    await session.flush()
    [purged] = await purge(session, retention_months=24, today=TODAY, now=NOW)
    assert (purged.code, purged.notes, purged.alerts) == ("OLD", 1, 1)
    texts = sorted(await session.scalars(select(Alert.text)))
    assert texts == ["tekst", "—"]  # the taken alert is still being handled
    assert await purge(session, retention_months=24, today=TODAY, now=NOW) == []
    assert [e.action for e in await session.scalars(select(AuditEvent))] == ["case.purge"]


async def test_the_daily_job_purges_and_commits(sessionmaker):
    config = TeamConfig.model_validate({"cases": {"retention_months": 1}})
    async with sessionmaker() as session:
        anna = await add_coach(session, name="Anna", role=Role.COACH, config=config, now=NOW)
        case = Case(code="OLD", coach_id=anna.id, phase=Phase.AFSLUITING, end_date=date(2026, 9, 1))
        session.add(case)
        await session.flush()
        session.add(
            CaseContact(case_id=case.id, coach_id=anna.id, on=TODAY, recorded_at=NOW, note="n")
        )
        await session.commit()
    runtime = Runtime(config=config, sessionmaker=sessionmaker, clock=ManualClock(NOW))
    application = SimpleNamespace(bot_data={"runtime": runtime})
    assert await run_retention(application) == 1
    assert await run_retention(application) == 0
    async with sessionmaker() as session:
        assert list(await session.scalars(select(CaseContact.note))) == [None]
