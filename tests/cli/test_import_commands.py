"""`achtervang import …` as the team lead runs it: all rows good, or nothing changes."""

COACHES = "name;role;fte\nAnna de Vries;teamlead;0,9\nBram Jansen;coach;0,8\n"
CASES = (
    "code,coach,backup_coach,phase,start_date,next_evaluation,safety_status\n"
    "ALM-0417,Bram Jansen,Anna de Vries,uitvoering,02-03-2026,2026-12-01,safety_plan\n"
)


async def test_good_files_import_once(cli, engine, tmp_path):
    (tmp_path / "coaches.csv").write_text(COACHES, encoding="utf-8-sig")
    (tmp_path / "cases.csv").write_text(CASES)
    first = await cli("import", "coaches", "coaches.csv")
    assert first.code == 0, first.err
    assert first.out.strip() == "Geïmporteerd: 2 nieuw, 0 gewijzigd, 0 ongewijzigd."
    assert (await cli("import", "cases", "cases.csv")).code == 0

    again = await cli("import", "coaches", "coaches.csv")
    assert again.out.strip() == "Geïmporteerd: 0 nieuw, 0 gewijzigd, 2 ongewijzigd."
    cases_again = await cli("import", "cases", "cases.csv")
    assert cases_again.out.strip() == "Geïmporteerd: 0 nieuw, 0 gewijzigd, 1 ongewijzigd."


async def test_bad_rows_are_all_reported_in_dutch_and_nothing_is_imported(cli, engine, tmp_path):
    (tmp_path / "coaches.csv").write_text(
        "name,role,fte\nAnna de Vries,teamlead,0.9\nBram Jansen,chef,0.8\nCor,coach,3\n"
    )
    result = await cli("import", "coaches", "coaches.csv")
    assert result.code == 1
    assert result.err.splitlines() == [
        "coaches.csv: regel 3, role: 'chef' is niet een van: coach, teamlead, partner, admin",
        "coaches.csv: regel 4, fte: moet tussen 0.1 en 1.5 liggen, niet 3",
        "2 problemen gevonden; er is niets geïmporteerd.",
    ]
    assert (await cli("coach", "list")).out.startswith("Er is nog niemand toegevoegd.")


async def test_cases_need_known_coaches(cli, engine, tmp_path):
    (tmp_path / "cases.csv").write_text(CASES)
    result = await cli("import", "cases", "cases.csv")
    assert result.code == 1
    assert "regel 2, coach: onbekende coach 'Bram Jansen'" in result.err
