"""The team config file (TOML): rules a team lead agrees with the team, validated on load."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.config.alerts import AlertConfig, parse_duration
from bot.config.backup import BackupConfig
from bot.config.cases import CasesConfig
from bot.config.duties import DutyConfig
from bot.config.feeds import FeedsConfig
from bot.config.problem import ConfigProblem
from bot.config.quiet_hours import QuietHoursConfig
from bot.config.second_channel import SecondChannelConfig
from bot.config.visits import VisitConfig
from bot.config.waitlist import WaitlistConfig
from bot.i18n import N_, Translator, translator

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
            raise ConfigProblem(N_("minimum must not exceed maximum"))
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
    quiet_hours: QuietHoursConfig = QuietHoursConfig()
    visits: VisitConfig = VisitConfig()
    second_channel: SecondChannelConfig = SecondChannelConfig()
    feeds: FeedsConfig = FeedsConfig()
    # The team's Telegram group: handovers and swap offers are posted there (never case data).
    team_chat_id: int | None = None
    # A step-by-step conversation (/crisis, /absent, …) left this long without an answer ends;
    # a later message is not taken as its answer.
    conversation_timeout: timedelta = timedelta(minutes=10)

    @field_validator("conversation_timeout", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value)

    @field_validator("conversation_timeout")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be more than zero")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigProblem(N_("unknown time zone %(value)s"), value=repr(value)) from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local_date(self, instant: datetime) -> date:
        """The team's calendar day at `instant` (instants are UTC; days are Amsterdam's)."""
        return instant.astimezone(self.tz).date()


class ConfigFileError(Exception):
    """The config file cannot be used. `text(tr)` names the file, each field and each
    problem in the reader's language; str() is the English text, for logs."""

    def __init__(
        self,
        path: Path,
        msgid: str | None = None,
        params: dict[str, object] | None = None,
        invalid: ValidationError | None = None,
    ) -> None:
        self.path, self.msgid, self.params, self.invalid = path, msgid, params or {}, invalid
        super().__init__(self.text(translator("en", ZoneInfo("UTC"))))

    def text(self, tr: Translator) -> str:
        if self.invalid is not None:
            from bot.config.errors import describe

            return f"{self.path}: " + "; ".join(describe(tr, self.invalid, TeamConfig))
        return f"{self.path}: " + (tr._(self.msgid, **self.params) if self.msgid else "")


_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_team_config(path: Path | None) -> TeamConfig:
    if path is None:
        return TeamConfig()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigFileError(path, N_("file not found")) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileError(
            path, N_("cannot read the file (%(problem)s)"), {"problem": exc}
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        place = _TOML_PLACE.search(str(exc))
        if place:
            raise ConfigFileError(
                path,
                N_("not valid TOML at line %(line)s, column %(column)s"),
                {"line": place[1], "column": place[2]},
            ) from exc
        raise ConfigFileError(path, N_("not valid TOML")) from exc
    try:
        return TeamConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigFileError(path, invalid=exc) from exc
