from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.models import AuditEvent, Case, Coach, Phase, Role, SafetyStatus
from bot.services.imports.cases import import_cases
from bot.services.imports.coaches import import_coaches
from bot.services.imports.pipeline import ImportReport
from bot.services.team.coaches import add_coach, find_by_name

DATA = Path(__file__).parent.parent / "data"


async def _count(session, model) -> int:
    return await session.scalar(select(func.count()).select_from(model))


def _where(report: ImportReport) -> list[tuple[int, str | None]]:
    return [(problem.line, problem.column) for problem in report.problems]


def _coach_fields(coach: Coach) -> tuple:
    return (
        coach.name,
        coach.role,
        coach.fte,
        coach.caseload_limit,
        coach.language,
        coach.active,
        coach.created_at,
    )


def _case_fields(case: Case) -> tuple:
    return (
        case.code,
        case.coach_id,
        case.backup_coach_id,
        case.phase,
        case.start_date,
        case.next_evaluation,
        case.end_date,
        case.safety_status,
        case.safety_date,
        case.referrer,
        case.last_contact,
    )


async def _coaches(session, config, clock, text: str) -> ImportReport:
    report = await import_coaches(session, text, config=config, now=clock.now())
    if report.ok:
        await session.commit()
    return report


async def _cases(session, clock, text: str) -> ImportReport:
    report = await import_cases(session, text, now=clock.now())
    if report.ok:
        await session.commit()
    return report


async def _case(session, code: str) -> Case:
    return await session.scalar(select(Case).where(Case.code == code))


# --- coaches --------------------------------------------------------------------------------------

TEAM = """\
name,role,fte,caseload_limit,language,active
Anna de Vries,coach,1.0,,,yes
Bram Jansen,teamlead,0.6,,en,yes
Carla Bakker,coach,0.8,9,nl,true
Dirk Smit,coach,0.3,,,
Pim Partner,partner,,,,no
"""


async def test_good_coaches_file_creates_them_with_derived_limits(session, config, clock):
    report = await _coaches(session, config, clock, TEAM)

    assert report == ImportReport(created=5, updated=0, unchanged=0, problems=[])
    assert report.ok
    anna = await find_by_name(session, "anna de vries")
    assert (anna.role, anna.fte, anna.caseload_limit, anna.language, anna.active) == (
        Role.COACH,
        1.0,
        10,
        "nl",
        True,
    )
    assert anna.created_at == clock.now()
    bram = await find_by_name(session, "Bram Jansen")
    assert (bram.role, bram.caseload_limit, bram.language) == (Role.TEAMLEAD, 6, "en")
    assert (await find_by_name(session, "Carla Bakker")).caseload_limit == 9  # given, not derived
    assert (await find_by_name(session, "Dirk Smit")).caseload_limit == 6  # the team minimum
    pim = await find_by_name(session, "Pim Partner")
    assert (pim.role, pim.fte, pim.active) == (Role.PARTNER, 1.0, False)

    event = await session.scalar(select(AuditEvent))
    assert (event.action, event.outcome, event.detail) == (
        "import.coaches",
        "ok",
        "created=5, updated=0, unchanged=0",
    )
    assert event.at == clock.now()


async def test_excel_export_semicolons_decimal_comma_and_bom(session, config, clock):
    # As the CLI reads it; the file has a BOM, CRLF, ';', a ';;;;;' row and a blank line.
    text = (DATA / "coaches_excel_nl.csv").read_text(encoding="utf-8-sig")

    report = await _coaches(session, config, clock, text)

    assert report.ok, report.problems
    assert report.created == 3
    anna = await find_by_name(session, "Anna de Vries")
    assert (anna.fte, anna.caseload_limit, anna.active) == (0.8, 8, True)
    bram = await find_by_name(session, "Bram Jansen")
    assert (bram.role, bram.fte, bram.language, bram.active) == (Role.TEAMLEAD, 0.5, "en", False)
    carla = await find_by_name(session, "Jansen; Carla")
    assert (carla.role, carla.caseload_limit) == (Role.PARTNER, 7)


async def test_a_stray_bom_is_tolerated(session, config, clock):
    report = await _coaches(session, config, clock, "\ufeffname\nAnna de Vries\n")
    assert report.created == 1


async def test_every_bad_row_is_reported_and_nothing_is_written(session, config, clock):
    await _coaches(session, config, clock, "name\nExisting Coach\n")
    before = (await _count(session, Coach), await _count(session, AuditEvent))
    text = (
        "name,role,fte,caseload_limit,language,active\n"  # 1
        "Good Row,coach,1,,,\n"  # 2: fine on its own
        ",coach,1,,,\n"  # 3: no name
        "Role Bad,boss,1,,,\n"  # 4
        "\n"  # 5: blank, skipped but counted
        "Fte Text,coach,veel,,,\n"  # 6
        "Fte High,coach,2,,,\n"  # 7
        "Limit Zero,coach,1,0,,\n"  # 8
        "Limit Text,coach,1,acht,,\n"  # 9
        "Lang Bad,coach,1,,de,\n"  # 10
        "Active Bad,coach,1,,,misschien\n"  # 11
        "Short Row,coach\n"  # 12
        "good   ROW,coach,1,,,\n"  # 13: same key as line 2
        "Many Bad,boss,0,99,fr,x\n"  # 14: every column wrong at once
        f"{'x' * 121},coach,1,,,\n"  # 15
    )

    report = await import_coaches(session, text, config=config, now=clock.now())

    assert not report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert _where(report) == [
        (3, "name"),
        (4, "role"),
        (6, "fte"),
        (7, "fte"),
        (8, "caseload_limit"),
        (9, "caseload_limit"),
        (10, "language"),
        (11, "active"),
        (12, None),
        (13, "name"),
        (14, "role"),
        (14, "fte"),
        (14, "caseload_limit"),
        (14, "language"),
        (14, "active"),
        (15, "name"),
    ]
    messages = {(p.line, p.column): p.message for p in report.problems}
    assert messages[(4, "role")] == "'boss' is not one of: coach, teamlead, partner, admin"
    assert messages[(7, "fte")] == "must be between 0.1 and 1.5, not 2"
    assert messages[(12, None)] == "has 2 values, but the header has 6 columns"
    assert messages[(13, "name")] == "'good   ROW' already appears on line 2"
    assert not any(p.message.startswith("Value error") for p in report.problems)

    # Nothing pending, nothing written, no audit row.
    assert not session.new and not session.dirty
    await session.rollback()
    assert (await _count(session, Coach), await _count(session, AuditEvent)) == before
    assert await find_by_name(session, "Good Row") is None


async def test_unknown_and_missing_columns_are_one_problem_each_on_line_1(session, config, clock):
    report = await import_coaches(
        session, "Naam,Role,Colour,shoe size\nAnna,coach,red,40\n", config=config, now=clock.now()
    )

    assert _where(report) == [(1, None), (1, None)]
    unknown, missing = (p.message for p in report.problems)
    assert unknown.startswith("unknown column 'naam', 'colour', 'shoe size'; known columns are")
    assert missing == "missing required column 'name'"
    assert await _count(session, Coach) == 0


async def test_unknown_column_alone_still_reports_row_problems(session, config, clock):
    report = await import_coaches(
        session, "name,role,team\nAnna,coach,A\nBram,boss,B\n", config=config, now=clock.now()
    )

    assert _where(report) == [(1, None), (3, "role")]
    assert await _count(session, Coach) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("\n ; \n", "the file is empty"),
        ("name,role,role\nAnna,coach,coach\n", "repeated column 'role'"),
        ("name,,role\nAnna,,coach\n", "column 2 has no name"),
    ],
)
async def test_unreadable_headers(session, config, clock, text, message):
    report = await import_coaches(session, text, config=config, now=clock.now())
    assert [(p.line, p.message) for p in report.problems] == [(1, message)]


async def test_trailing_empty_columns_from_a_spreadsheet_are_ignored(session, config, clock):
    report = await _coaches(session, config, clock, "name;role;;\nAnna;coach;;\n")
    assert report.created == 1


async def test_header_only_file_imports_nothing_but_is_ok(session, config, clock):
    report = await _coaches(session, config, clock, "name,role\n")
    assert report == ImportReport(0, 0, 0, [])
    assert await _count(session, AuditEvent) == 1


async def test_importing_the_same_file_twice_changes_nothing(session, config, clock):
    await _coaches(session, config, clock, TEAM)
    coaches = (await session.scalars(select(Coach).order_by(Coach.id))).all()
    before = [_coach_fields(coach) for coach in coaches]

    report = await import_coaches(session, TEAM, config=config, now=clock.now())

    assert report == ImportReport(created=0, updated=0, unchanged=5, problems=[])
    assert not session.dirty  # no attribute was even touched
    await session.commit()
    session.expire_all()
    coaches = (await session.scalars(select(Coach).order_by(Coach.id))).all()
    assert [_coach_fields(coach) for coach in coaches] == before
    details = (await session.scalars(select(AuditEvent.detail).order_by(AuditEvent.id))).all()
    assert details == ["created=5, updated=0, unchanged=0", "created=0, updated=0, unchanged=5"]


async def test_a_changed_row_updates_only_that_row(session, config, clock):
    await _coaches(session, config, clock, TEAM)
    others = {
        c.name: _coach_fields(c)
        for c in await session.scalars(select(Coach))
        if c.name != "Anna de Vries"
    }
    # Anna goes to 0.7 fte; her limit column is empty, so it follows the new fte.
    changed = TEAM.replace("Anna de Vries,coach,1.0,,,yes", 'ANNA  de vries,coach,"0,7",,,yes')

    report = await _coaches(session, config, clock, changed)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    session.expire_all()
    anna = await find_by_name(session, "Anna de Vries")
    # The file's spelling of the key wins; the match was case- and space-insensitive.
    assert (anna.name, anna.fte, anna.caseload_limit) == ("ANNA de vries", 0.7, 7)
    assert await _count(session, Coach) == 5
    for coach in await session.scalars(select(Coach)):
        if coach.id != anna.id:
            assert _coach_fields(coach) == others[coach.name]


async def test_partial_columns_leave_other_fields_alone(session, config, clock):
    await add_coach(
        session,
        name="Anna de Vries",
        role=Role.COACH,
        config=config,
        now=clock.now(),
        fte=0.6,
        language="en",
        caseload_limit=9,
    )
    await session.commit()

    report = await _coaches(session, config, clock, "name,role\nanna de vries,teamlead\nNew One,\n")

    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    session.expire_all()
    anna = await find_by_name(session, "Anna de Vries")
    assert (anna.role, anna.fte, anna.language, anna.caseload_limit, anna.active) == (
        Role.TEAMLEAD,
        0.6,
        "en",
        9,
        True,
    )
    new = await find_by_name(session, "New One")
    # New records get the defaults for what the file does not say.
    assert (new.role, new.fte, new.caseload_limit, new.language, new.active) == (
        Role.COACH,
        1.0,
        10,
        "nl",
        True,
    )


async def test_empty_limit_is_derived_from_the_stored_fte(session, config, clock):
    await add_coach(
        session,
        name="Anna",
        role=Role.COACH,
        config=config,
        now=clock.now(),
        fte=0.7,
        caseload_limit=12,
    )
    await session.commit()

    report = await _coaches(session, config, clock, "name,caseload_limit\nAnna,\n")

    assert report.updated == 1
    assert (await find_by_name(session, "Anna")).caseload_limit == 7


# --- cases ----------------------------------------------------------------------------------------


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
