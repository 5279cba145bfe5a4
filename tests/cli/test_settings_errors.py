"""A bad setting stops the program with one line naming it and exit code 2."""

import pytest

from bot import schema


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"TELEGRAM_BOT_TOKEN": "geen-token"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_API_BASE_URL": "telegram"}, "TELEGRAM_API_BASE_URL"),
        ({"ACHTERVANG_CONFIG": "/nonexistent/team.toml"}, "ACHTERVANG_CONFIG"),
    ],
)
async def test_bad_setting_one_line_exit_2(cli, env, named):
    result = await cli("coach", "list", env=env)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"Configuratiefout: {named}: ")
    assert "Traceback" not in result.err


async def test_bad_config_field_is_named(cli, tmp_path):
    config = tmp_path / "team.toml"
    config.write_text("[caseload]\nminimum = 0\n")
    result = await cli("coach", "list", env={"ACHTERVANG_CONFIG": str(config)})
    assert result.code == 2
    assert "ACHTERVANG_CONFIG" in result.err and "caseload.minimum" in result.err
    assert len(result.err.strip().splitlines()) == 1


async def test_run_without_token(cli, engine):
    result = await cli("run")
    assert result.code == 2
    assert result.err.strip().startswith("Configuratiefout: TELEGRAM_BOT_TOKEN: ontbreekt")


async def test_run_refuses_an_old_schema(cli, tmp_path):
    empty = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    result = await cli("run", env={"DATABASE_URL": empty, "TELEGRAM_BOT_TOKEN": "1:abc"})
    assert result.code == 2
    assert result.err.strip() == (
        "Het databaseschema is niet bijgewerkt. Voer uit: achtervang db upgrade"
    )
    upgraded = await cli("db", "upgrade", env={"DATABASE_URL": empty})
    assert upgraded.code == 0, upgraded.err
    head = schema.head_revision()
    assert upgraded.out.strip() == f"Databaseschema bijgewerkt van base naar {head}."
    again = await cli("db", "upgrade", env={"DATABASE_URL": empty})
    assert again.out.strip() == f"Databaseschema staat al op {head}."


async def test_config_errors_read_in_dutch_one_per_cause_with_a_suggestion(cli, tmp_path):
    config = tmp_path / "team.toml"
    config.write_text(
        '[caseload]\nminimun = 3\n\n[duties.piket]\nshift = "maand"\n\n'
        '[alerts]\nchain = [{ to = "first", wait = "5 min" }]\n'
    )
    result = await cli("coach", "list", env={"ACHTERVANG_CONFIG": str(config)})
    assert result.code == 2
    assert result.err.strip() == (
        f"Configuratiefout: ACHTERVANG_CONFIG: {config}: "
        "caseload.minimun: onbekend veld; bedoel je 'minimum'?; "
        "duties.piket.shift: moet een van 'day', 'week' zijn, niet 'maand'; "
        "alerts.chain.0.wait: moet een duur zijn zoals 90, '90s', '5m' of '2h', niet '5 min'"
    )
    for english in ("Extra inputs", "Value error", "Input should", "Tuple should", "chain:"):
        assert english not in result.err


async def test_a_bad_setting_and_bad_toml_read_in_dutch(cli, tmp_path):
    result = await cli("coach", "list", env={"DATABASE_URL": "mysql://root@localhost/x"})
    assert result.err.strip() == (
        "Configuratiefout: DATABASE_URL: alleen SQLite en PostgreSQL worden ondersteund"
    )
    config = tmp_path / "team.toml"
    config.write_text('team_name = "Team"\ntimezone = Europe/Amsterdam\n')
    result = await cli("coach", "list", env={"ACHTERVANG_CONFIG": str(config)})
    assert result.err.strip() == (
        f"Configuratiefout: ACHTERVANG_CONFIG: {config}: geen geldige TOML op regel 2, kolom 12"
    )
