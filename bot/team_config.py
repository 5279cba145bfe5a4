"""The team config file (TOML): rules a team lead agrees with the team, validated on load."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.alert_config import AlertConfig
from bot.backup_config import BackupConfig
from bot.case_config import CasesConfig
from bot.duty_config import DutyConfig
from bot.visit_config import VisitConfig
from bot.waitlist_config import WaitlistConfig

Language = Literal["nl", "en"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CaseloadConfig(_Strict):
    """Default caseload limit from fte: 10 families per fte, within 6–10 (council proposal)."""

    per_fte: float = Field(default=10.0, gt=0)
    minimum: int = Field(default=6, ge=1)
    maximum: int = Field(default=10, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> CaseloadConfig:
        if self.minimum > self.maximum:
            raise ValueError("minimum must not exceed maximum")
        return self

    def limit_for(self, fte: float) -> int:
        return max(self.minimum, min(self.maximum, round(self.per_fte * fte)))


class EnrolmentConfig(_Strict):
    invite_valid_days: int = Field(default=7, ge=1, le=90)
    max_failed_codes: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=60, ge=1)


class TeamConfig(_Strict):
    team_name: str = "Team Gezinscoaches"
    timezone: str = "Europe/Amsterdam"
    default_language: Language = "nl"
    caseload: CaseloadConfig = CaseloadConfig()
    enrolment: EnrolmentConfig = EnrolmentConfig()
    duties: DutyConfig = DutyConfig()
    alerts: AlertConfig = AlertConfig()
    cases: CasesConfig = CasesConfig()
    waitlist: WaitlistConfig = WaitlistConfig()
    backup: BackupConfig = BackupConfig()
    visits: VisitConfig = VisitConfig()
    # The team's Telegram group: handovers and swap offers are posted there (never case data).
    team_chat_id: int | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local_date(self, instant: datetime) -> date:
        """The team's calendar day at `instant` (instants are UTC; days are Amsterdam's)."""
        return instant.astimezone(self.tz).date()


class ConfigFileError(Exception):
    """The config file cannot be used; the message names the field and the problem."""


def load_team_config(path: Path | None) -> TeamConfig:
    if path is None:
        return TeamConfig()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigFileError(f"{path}: file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileError(f"{path}: cannot read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFileError(f"{path}: not valid TOML ({exc})") from exc
    from pydantic import ValidationError

    try:
        return TeamConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigFileError(f"{path}: {problems}") from exc
