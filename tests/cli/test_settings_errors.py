"""A bad setting stops the program with one line naming it and exit code 2."""

import pytest


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
    assert "0006_inbox_updates" in upgraded.out
