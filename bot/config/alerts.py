"""The `[alerts]` section of the team config: who a crisis alert goes to, in which order, and
how long each step waits for someone to take it.

Durations are seconds (a number) or text like "90s", "5m", "2h", so tests run in seconds and
teams write minutes.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.config.problem import ConfigProblem
from bot.i18n import N_

Target = Literal["first", "on_duty", "second_line", "team_lead"]
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600}


def parse_duration(value: object) -> object:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    if isinstance(value, str) and (match := _DURATION.match(value)):
        return timedelta(seconds=float(match[1]) * _UNIT[match[2]])
    raise ConfigProblem(
        N_("must be a duration such as 90, '90s', '5m' or '2h', not %(value)s"), value=repr(value)
    )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChainStep(_Strict):
    """Alert `to`, then wait `wait` for someone to take it before the next step.

    first: in office hours the family's own coach when present, else the bureaudienst coach;
    outside office hours the piket coach. on_duty: whoever holds bureaudienst or piket now.
    second_line: the piket second line. team_lead: every team lead.
    """

    to: Target
    wait: timedelta = timedelta(minutes=5)

    @field_validator("wait", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value)

    @field_validator("wait")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ConfigProblem(N_("must be more than zero"))
        return value


DEFAULT_CHAIN = (
    ChainStep(to="first", wait=timedelta(minutes=5)),
    ChainStep(to="on_duty", wait=timedelta(minutes=5)),
    ChainStep(to="second_line", wait=timedelta(minutes=5)),
    ChainStep(to="team_lead", wait=timedelta(minutes=10)),
)


class AlertConfig(_Strict):
    chain: tuple[ChainStep, ...] = Field(default=DEFAULT_CHAIN, min_length=1)
    # Start the chain again when its last step went unanswered, at most this many rounds.
    repeat: bool = True
    max_rounds: int = Field(default=5, ge=1, le=100)
    # A taken alert not resolved within this time reminds the coach who took it.
    resolve_reminder_after: timedelta = timedelta(hours=2)
    # How often the scheduler looks for escalation deadlines anyway. Each deadline also wakes
    # the scheduler itself, so this is the backstop (after a missed wake-up), not the precision.
    tick: timedelta = timedelta(seconds=1)
    # A /crisis handled this long after it was written (bot down, network) is marked late to
    # its recipients and its reporter, with the time it was written.
    late_after: timedelta = timedelta(minutes=2)

    # Flood control. A /crisis for the same family by the same reporter while their alert is
    # still open and younger than this joins it instead of alerting anyone again.
    join_window: timedelta = timedelta(minutes=10)
    # New alerts one reporter may raise in a minute; more are refused, with a message.
    max_new_per_minute: int = Field(default=5, ge=1, le=1000)

    def arrived_late(self, written_at: datetime | None, now: datetime) -> bool:
        """Whether a message written at `written_at` and handled `now` reached the bot late."""
        return written_at is not None and now - written_at > self.late_after

    @field_validator("resolve_reminder_after", "tick", "late_after", "join_window", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value)
