"""Process settings from the environment or `.env`.

Only what differs per installation lives here; team rules live in the team config file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config.problem import ConfigProblem
from bot.i18n import N_

TELEGRAM_DEFAULT_BASE_URL = "https://api.telegram.org/bot"
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")

# Users paste the URL their database documentation shows; we need the async driver.
_DRIVER_ALIASES = {
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
}


def credentials_directory() -> Path | None:
    """Where systemd's LoadCredential= (or a container's secrets) put one file per setting.

    A file there named like a setting (TELEGRAM_BOT_TOKEN, DATABASE_URL) supplies its value,
    so secrets need not sit in the environment; an environment variable still wins.
    """
    found = os.environ.get("CREDENTIALS_DIRECTORY")
    return Path(found) if found and Path(found).is_dir() else None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(
        default=TELEGRAM_DEFAULT_BASE_URL, alias="TELEGRAM_API_BASE_URL"
    )
    telegram_bot_username: str | None = Field(default=None, alias="TELEGRAM_BOT_USERNAME")
    database_url: str = Field(default="sqlite:///achtervang.sqlite3", alias="DATABASE_URL")
    config_path: Path | None = Field(default=None, alias="ACHTERVANG_CONFIG")
    # Operations (bot/operations/): health and metrics endpoints, heartbeat.
    http_listen: str | None = Field(default=None, alias="HTTP_LISTEN")
    heartbeat_url: str | None = Field(default=None, alias="HEARTBEAT_URL")
    heartbeat_interval: float = Field(default=60.0, alias="HEARTBEAT_INTERVAL", gt=0)
    ready_max_tick_age: float = Field(default=30.0, alias="READY_MAX_TICK_AGE", gt=0)
    # Logging for operators (bot/operations/log_setup.py).
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", alias="LOG_LEVEL"
    )
    log_format: Literal["text", "json"] = Field(default="text", alias="LOG_FORMAT")

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _any_case(cls, value: object, info) -> object:
        if not isinstance(value, str):
            return value
        return value.upper() if info.field_name == "log_level" else value.lower()

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN_RE.match(value.get_secret_value()):
            raise ConfigProblem(N_("expected the form 123456789:ABC-token from BotFather"))
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url_shape(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ConfigProblem(N_("expected an http(s) URL such as https://api.telegram.org/bot"))
        return value

    @field_validator("http_listen")
    @classmethod
    def _listen_shape(cls, value: str | None) -> str | None:
        if not value:
            return None
        host, _, port = value.rpartition(":")
        if not port.isdigit() or not 0 <= int(port) <= 65535:
            raise ValueError("expected HOST:PORT or PORT, e.g. 127.0.0.1:9180")
        return f"{host.strip('[]') or '127.0.0.1'}:{port}"

    @field_validator("heartbeat_url")
    @classmethod
    def _heartbeat_shape(cls, value: str | None) -> str | None:
        if value and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("expected an http(s) URL")
        return value or None

    @field_validator("telegram_bot_username")
    @classmethod
    def _username_shape(cls, value: str | None) -> str | None:
        return value.lstrip("@") if value else None

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ConfigProblem(N_("not a database URL")) from exc
        driver = _DRIVER_ALIASES.get(url.drivername)
        if driver is None:
            raise ConfigProblem(N_("only SQLite and PostgreSQL are supported"))
        return url.set(drivername=driver).render_as_string(hide_password=False)

    @property
    def base_file_url(self) -> str:
        # Telegram serves files under /file/bot<token>; a local stand-in mirrors that layout.
        base = self.telegram_api_base_url
        return base[: -len("bot")] + "file/bot" if base.endswith("/bot") else base + "/file"

    @property
    def listen_address(self) -> tuple[str, int] | None:
        if self.http_listen is None:
            return None
        host, _, port = self.http_listen.rpartition(":")
        return host, int(port)

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None
