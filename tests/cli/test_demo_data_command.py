"""`achtervang demo-data` fills an empty database once, and says so when it will not."""


async def test_demo_data_fills_an_empty_database_once(cli, engine):
    first = await cli("demo-data")
    assert first.code == 0, first.err
    assert first.out.startswith(
        "Demoteam geladen: 12 personen, 70 gezinnen; Thijs Brouwer is ziek en er staat een "
        "crisismelding open voor ALM-"
    )
    assert "demo_team.toml" in first.out

    listed = await cli("coach", "list")
    assert listed.out.count("\n") == 1 + 12  # the header row and twelve people
    assert "Ingrid Scholten" in listed.out and "niet aangemeld" not in listed.out

    again = await cli("demo-data")
    assert again.code == 1
    assert again.err.strip() == (
        "De database bevat al personen; demogegevens gaan alleen in een lege database."
    )
    assert (await cli("coach", "list")).out == listed.out


async def test_demo_data_wants_the_schema_first(cli, tmp_path):
    fresh = await cli("demo-data", "--database-url", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert fresh.code == 1
    assert "achtervang db upgrade" in fresh.err
