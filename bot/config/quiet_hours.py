"""The `[quiet_hours]` section of the team config: when messages that can wait (backup
requests, gap alerts, waitlist notices, reachability reports) are held until the morning, and
which hours count when such a message gives a deadline. Crisis and safety alerts ignore it."""

from __future__ import annotations

from datetime import time

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from bot.config.duties import _parse_hhmm
from bot.config.problem import ConfigProblem
from bot.i18n import N_


class QuietHoursConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    # Quiet from `start` in the evening until `end`, the morning hour, the next day.
    start: time = time(20, 0)
    end: time = time(8, 0)
    # Whole days without non-urgent messages: Saturday and Sunday, and Dutch public holidays.
    weekends: bool = True
    public_holidays: bool = True

    @field_validator("start", "end", mode="before")
    @classmethod
    def _hhmm(cls, value: object) -> object:
        return _parse_hhmm(value)

    @model_validator(mode="after")
    def _some_working_time(self) -> QuietHoursConfig:
        if self.enabled and self.start == self.end:
            raise ConfigProblem(N_("start and end must differ: there would be no working hours"))
        return self
