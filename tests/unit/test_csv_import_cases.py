"""Importing the cases CSV: every row checked before anything is written."""

from datetime import date

import pytest
from sqlalchemy import select

from bot.models import AuditEvent, Case, Phase, Role, SafetyStatus
from bot.services.imports.cases import import_cases
from bot.services.imports.pipeline import ImportReport
from bot.services.team.coaches import add_coach
from tests.unit.csv_import_helpers import (
    _case,
    _case_fields,
    _cases,
    _count,
    _where,
)


@pytest.fixture
async def team(session, config, clock) -> dict[str, int]:
    """Coach ids by name (ids, because tests expire the session's objects)."""
    people = {}
    for name, role in [
        ("Anna de Vries", Role.COACH),
        ("Bram Jansen", Role.TEAMLEAD),
        ("Carla Bakker", Role.COACH),
        ("Pim Partner", Role.PARTNER),
        ("Ada Admin", Role.ADMIN),
    ]:
        coach = await add_coach(session, name=name, role=role, config=config, now=clock.now())
        people[name] = coach.id
    await session.commit()
    return people


CASES = "\n".join(
    [
        "code;coach;backup_coach;phase;start_date;next_evaluation;safety_status;safety_date;"
        "last_contact;end_date;referrer",
        "alm-0417;anna de vries;Bram Jansen;Uitvoering;2026-03-02;01-12-2026;safety_plan;"
        "5-3-2026;20-11-2026;;huisarts",
        "ALM-0418;Carla Bakker;;;15-06-2026;;;;;;",
        "ALM-0419;;;;;;;;;;wijkteam",
        "",
    ]
)


async def test_good_cases_file_with_dutch_and_iso_dates(session, clock, team):
    report = await _cases(session, clock, CASES)

    assert report == ImportReport(created=3, updated=0, unchanged=0, problems=[])
    first = await _case(session, "ALM-0417")
    assert first.coach_id == team["Anna de Vries"]
    assert first.backup_coach_id == team["Bram Jansen"]
    assert first.phase is Phase.UITVOERING
    assert first.start_date == date(2026, 3, 2)
    assert first.next_evaluation == date(2026, 12, 1)
    assert first.safety_status is SafetyStatus.SAFETY_PLAN
    assert first.safety_date == date(2026, 3, 5)
    assert first.last_contact == date(2026, 11, 20)
    assert (first.end_date, first.referrer) == (None, "huisarts")
    second = await _case(session, "ALM-0418")
    assert (second.coach_id, second.backup_coach_id) == (team["Carla Bakker"], None)
    assert (second.phase, second.safety_status) == (Phase.AANMELDING, SafetyStatus.NOT_ASSESSED)
    assert second.start_date == date(2026, 6, 15)
    third = await _case(session, "ALM-0419")
    assert (third.coach_id, third.referrer) == (None, "wijkteam")
    event = await session.scalar(select(AuditEvent))
    assert (event.action, event.detail) == ("import.cases", "created=3, updated=0, unchanged=0")


async def test_same_cases_file_twice_is_a_no_op(session, clock, team):
    await _cases(session, clock, CASES)
    before = [_case_fields(c) for c in await session.scalars(select(Case).order_by(Case.id))]

    report = await _cases(session, clock, CASES)

    assert report == ImportReport(created=0, updated=0, unchanged=3, problems=[])
    session.expire_all()
    after = [_case_fields(c) for c in await session.scalars(select(Case).order_by(Case.id))]
    assert after == before


async def test_bad_case_rows_are_all_reported_and_nothing_is_written(session, clock, team):
    text = (
        "code,coach,backup_coach,phase,start_date,next_evaluation,last_contact,end_date\n"  # 1
        "ALM-0001,Anna de Vries,,,,,,\n"  # 2: fine
        "ALM-0002,Jan Jansen,,,,,,\n"  # 3: unknown coach
        "ALM-0003,Pim Partner,Ada Admin,,,,,\n"  # 4: partner and admin cannot hold cases
        "ALM-0004,Anna de Vries,anna DE VRIES,,,,,\n"  # 5: backup == coach
        "ALM-0005,,,,2026-05-01,2026-04-30,,2026-01-01\n"  # 6: before start
        "ALM-0006,,,,31-02-2026,2026/07/01,24-11-2026,\n"  # 7: bad dates; future contact
        "A!,,,klaar,,,,\n"  # 8: bad code and phase
        "alm-0001,,,,,,,\n"  # 9: duplicate of line 2
    )

    report = await import_cases(session, text, now=clock.now())

    assert _where(report) == [
        (3, "coach"),
        (4, "coach"),
        (4, "backup_coach"),
        (5, "backup_coach"),
        (6, "next_evaluation"),
        (6, "end_date"),
        (7, "start_date"),
        (7, "next_evaluation"),
        (7, "last_contact"),
        (8, "code"),
        (8, "phase"),
        (9, "code"),
    ]
    messages = {(p.line, p.column): p.message for p in report.problems}
    assert messages[(3, "coach")] == "unknown coach 'Jan Jansen'"
    assert messages[(4, "coach")].startswith("'Pim Partner' has role partner")
    assert messages[(5, "backup_coach")] == "backup coach must differ from the coach"
    assert messages[(6, "end_date")] == "end_date 2026-01-01 is before start_date 2026-05-01"
    assert messages[(7, "start_date")] == "'31-02-2026' is not a real date"
    assert messages[(7, "last_contact")] == "2026-11-24 is in the future"
    assert messages[(9, "code")] == "'alm-0001' already appears on line 2"
    assert not session.new and not session.dirty
    await session.rollback()
    assert await _count(session, Case) == 0
    assert await _count(session, AuditEvent) == 0


async def test_changed_case_row_updates_only_that_case(session, clock, team):
    await _cases(session, clock, CASES)
    untouched = _case_fields(await _case(session, "ALM-0419"))
    changed = CASES.replace("ALM-0418;Carla Bakker;;;", "ALM-0418;Carla Bakker;;intake;")

    report = await _cases(session, clock, changed)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    session.expire_all()
    assert (await _case(session, "ALM-0418")).phase is Phase.INTAKE
    assert _case_fields(await _case(session, "ALM-0419")) == untouched


async def test_partial_case_columns_leave_other_fields_alone(session, clock, team):
    await _cases(session, clock, CASES)

    report = await _cases(session, clock, "code,phase\nALM-0417,evaluatie\n")

    assert report.updated == 1
    session.expire_all()
    case = await _case(session, "ALM-0417")
    assert case.phase is Phase.EVALUATIE
    assert (case.coach_id, case.backup_coach_id) == (
        team["Anna de Vries"],
        team["Bram Jansen"],
    )
    assert (case.start_date, case.referrer) == (date(2026, 3, 2), "huisarts")

    # A present but empty cell does clear: here the case becomes unassigned.
    report = await _cases(session, clock, "code,coach\nALM-0417,\n")
    assert report.updated == 1
    session.expire_all()
    case = await _case(session, "ALM-0417")
    assert (case.coach_id, case.backup_coach_id) == (None, team["Bram Jansen"])


async def test_cross_checks_use_the_stored_values_for_absent_columns(session, clock, team):
    await _cases(session, clock, CASES)  # ALM-0417: Anna coaches, Bram backs up, starts 2026-03-02

    report = await import_cases(
        session, "code,backup_coach,end_date\nALM-0417,Anna de Vries,2026-01-01\n", now=clock.now()
    )

    assert [(p.line, p.column, p.message) for p in report.problems] == [
        (2, "backup_coach", "backup coach must differ from the coach"),
        (2, "end_date", "end_date 2026-01-01 is before start_date 2026-03-02"),
    ]

    # Only start_date in the file: the stored next evaluation (2026-12-01) gets the blame.
    report = await import_cases(session, "code,start_date\nALM-0417,2027-01-01\n", now=clock.now())
    assert [(p.line, p.column) for p in report.problems] == [(2, "start_date")]


async def test_cases_need_existing_coaches_not_ones_from_the_same_run(session, clock, config):
    # No team in the database: the coach has to be imported first.
    report = await import_cases(session, "code,coach\nALM-0001,Anna de Vries\n", now=clock.now())
    assert [(p.line, p.column, p.message) for p in report.problems] == [
        (2, "coach", "unknown coach 'Anna de Vries'")
    ]


async def test_missing_code_column(session, clock, team):
    report = await import_cases(session, "coach,phase\nAnna de Vries,intake\n", now=clock.now())
    assert [(p.line, p.column, p.message) for p in report.problems] == [
        (1, None, "missing required column 'code'")
    ]
