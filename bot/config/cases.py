"""The `[cases]` section of the team config: when a coach is reminded about their families,
and how long operational notes of a closed case are kept."""

from __future__ import annotations

from datetime import time

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.config.duties import _parse_hhmm


class CasesConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # An evaluation due within this many days (or overdue) is in the coach's morning reminder.
    evaluation_warning_days: int = Field(default=7, ge=0, le=90)
    # A family not contacted for this many days (or never) is in the morning reminder.
    stale_contact_days: int = Field(default=14, ge=1, le=365)
    # National guideline: records are kept two years after a case is closed.
    retention_months: int = Field(default=24, ge=1, le=240)
    # Local time of the morning reminder, on office days.
    digest_time: time = time(8, 0)
    # The case code the bot's examples use ("for example /case ALM-1042"); by default one
    # shaped like the team's own codes.
    example_code: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]{3,32}$")

    @field_validator("digest_time", mode="before")
    @classmethod
    def _hhmm(cls, value: object) -> object:
        return _parse_hhmm(value)
