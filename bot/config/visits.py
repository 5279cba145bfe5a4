"""The `[visits]` section of the team config: when the bot reminds a coach on a home visit,
how long it waits after the expected end, and when it raises the safety alert."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, field_validator

from bot.config.alerts import parse_duration


class VisitConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # A reminder this long before the expected end.
    reminder_before: timedelta = timedelta(minutes=5)
    # No check-out this long after the expected end: the bot asks once more (last call)...
    grace: timedelta = timedelta(minutes=10)
    # ...and raises the safety alert when that goes unanswered this long.
    last_call: timedelta = timedelta(minutes=5)
    # What the "Extend" button adds.
    extend_by: timedelta = timedelta(minutes=30)
    # Longest visit one can announce.
    max_length: timedelta = timedelta(hours=12)

    @field_validator(
        "reminder_before", "grace", "last_call", "extend_by", "max_length", mode="before"
    )
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value)

    @field_validator("grace", "last_call", "extend_by", "max_length")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be more than zero")
        return value
