import pytest

from bot.config.settings import TELEGRAM_DEFAULT_BASE_URL, Settings
from bot.config.team import ConfigFileError, load_team_config


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        "DATABASE_URL",
        "ACHTERVANG_CONFIG",
        "TELEGRAM_BOT_USERNAME",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_use_telegram_and_a_local_sqlite_file():
    settings = Settings()
    assert settings.telegram_api_base_url == TELEGRAM_DEFAULT_BASE_URL
    assert settings.base_file_url == "https://api.telegram.org/file/bot"
    assert settings.database_url == "sqlite+aiosqlite:///achtervang.sqlite3"


def test_plain_database_urls_get_the_async_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/prod")
    assert Settings().database_url == "postgresql+asyncpg://postgres@127.0.0.1:5432/prod"


def test_local_base_url_and_env_file(tmp_path):
    (tmp_path / ".env").write_text(
        "TELEGRAM_BOT_TOKEN=123:abc\nTELEGRAM_API_BASE_URL=http://127.0.0.1:8081/bot\n"
    )
    settings = Settings()
    assert settings.token == "123:abc"
    assert settings.base_file_url == "http://127.0.0.1:8081/file/bot"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "not a token"),
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("DATABASE_URL", "::nonsense::"),
        ("TELEGRAM_API_BASE_URL", "api.telegram.org"),
    ],
)
def test_bad_settings_are_refused_naming_the_setting(monkeypatch, name, value):
    from pydantic import ValidationError

    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert caught.value.errors()[0]["loc"] == (name,)


def test_config_file_values_and_defaults(tmp_path):
    path = tmp_path / "team.toml"
    path.write_text('team_name = "Almelo"\n[caseload]\nper_fte = 10\nminimum = 6\n')
    config = load_team_config(path)
    assert config.team_name == "Almelo"
    assert config.timezone == "Europe/Amsterdam"
    assert config.caseload.limit_for(0.5) == 6
    assert config.caseload.limit_for(0.8) == 8
    assert config.caseload.limit_for(1.2) == 10


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('timezone = "Mars/Olympus"', "timezone: unknown time zone 'Mars/Olympus'"),
        ("[caseload]\nminimum = 12\nmaximum = 10", "caseload: minimum must not exceed maximum"),
        ('default_language = "de"', "default_language: must be one of 'nl', 'en', not 'de'"),
        ("colour = 'blue'", "colour: unknown field; known here: team_name, timezone"),
        ("team_name = ", "not valid TOML"),
    ],
)
def test_config_errors_name_the_field(tmp_path, content, expected):
    path = tmp_path / "team.toml"
    path.write_text(content)
    with pytest.raises(ConfigFileError, match=expected):
        load_team_config(path)


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigFileError, match="file not found"):
        load_team_config(tmp_path / "nope.toml")
