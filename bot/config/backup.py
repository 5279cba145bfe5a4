"""The `[backup]` section of the team config: how backup requests for an absent coach's
families are asked, and how far ahead planned leave is prepared."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.config.alerts import parse_duration
from bot.config.problem import ConfigProblem
from bot.i18n import N_


class BackupConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # A request not answered within this time goes to the next candidate ("2h", "90s").
    answer_within: timedelta = timedelta(hours=2)
    # Backups for planned leave are asked this many days before it starts.
    plan_ahead_days: int = Field(default=5, ge=0, le=60)
    # The coach is reminded to brief their backups this many working days before leave.
    briefing_working_days: int = Field(default=2, ge=0, le=20)

    @field_validator("answer_within", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value)

    @field_validator("answer_within")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ConfigProblem(N_("must be more than zero"))
        return value
