"""The `[waitlist]` section of the team config: how the priority score is made up, and the
norms the scheduler watches. The defaults follow partner practice: an urgency score plus one
point per week of waiting, a warning at 7 weeks, the 9-week norm, a decision within 24 hours."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.config.alerts import parse_duration
from bot.config.problem import ConfigProblem
from bot.i18n import N_


class WaitlistConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Points per level of content complexity (1–5).
    complexity_points: float = Field(default=2.0, ge=0)
    # Points per yearly cost band to the municipality (1–4).
    cost_points: float = Field(default=1.5, ge=0)
    # Points for a safety concern that is not acute (acute ones skip the list).
    concern_points: float = Field(default=4.0, ge=0)
    # Points per full week of waiting, so that nobody waits forever behind newer cases.
    points_per_week: float = Field(default=1.0, ge=0)
    warn_after_weeks: int = Field(default=7, ge=1)
    norm_weeks: int = Field(default=9, ge=1)
    decision_within: timedelta = timedelta(hours=24)
    # Intakes over this many past weeks give the rate for an expected start date.
    rate_weeks: int = Field(default=12, ge=1)

    @field_validator("decision_within", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value)

    @model_validator(mode="after")
    def _ordered(self) -> WaitlistConfig:
        if self.warn_after_weeks > self.norm_weeks:
            raise ConfigProblem(N_("warn_after_weeks must not exceed norm_weeks"))
        return self
