"""Importing the coaches CSV: every row checked before anything is written."""

import pytest
from sqlalchemy import select

from bot.models import AuditEvent, Coach, Role
from bot.services.imports.coaches import import_coaches
from bot.services.imports.pipeline import ImportReport
from bot.services.team.coaches import add_coach, find_by_name
from tests.unit.csv_import_helpers import (
    DATA,
    TEAM,
    _coach_fields,
    _coaches,
    _count,
    _where,
)


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
