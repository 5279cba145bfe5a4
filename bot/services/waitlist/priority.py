"""Who goes first on the waitlist, and why. Pure rules: the score is the sum of explained parts
(complexity, cost to the municipality, safety concern, weeks waited); acute safety skips the
list. Ties go to the family referred first, then by code, so the order never wobbles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from bot.config.waitlist import WaitlistConfig
from bot.models.waitlist_terms import Concern


class Waiting(Protocol):
    code: str
    referral_date: date
    complexity: int
    cost_band: int
    concern: Concern


@dataclass(frozen=True)
class Scored:
    code: str
    referral_date: date
    weeks_waiting: int
    complexity: float
    cost: float
    concern: float
    waiting: float
    acute: bool

    @property
    def total(self) -> float:
        return self.complexity + self.cost + self.concern + self.waiting


def weeks_waiting(referral_date: date, today: date) -> int:
    return max(0, (today - referral_date).days // 7)


def score(entry: Waiting, today: date, config: WaitlistConfig) -> Scored:
    weeks = weeks_waiting(entry.referral_date, today)
    return Scored(
        code=entry.code,
        referral_date=entry.referral_date,
        weeks_waiting=weeks,
        complexity=entry.complexity * config.complexity_points,
        cost=entry.cost_band * config.cost_points,
        concern=config.concern_points if entry.concern == Concern.CONCERN else 0.0,
        waiting=weeks * config.points_per_week,
        acute=entry.concern == Concern.ACUTE,
    )


def ranked(entries: Sequence[Waiting], today: date, config: WaitlistConfig) -> list[Scored]:
    """Acute first (they should not be on the list at all), then highest score."""
    scored = [score(entry, today, config) for entry in entries]
    return sorted(scored, key=lambda s: (not s.acute, -s.total, s.referral_date, s.code))


def expected_start(position: int, intakes: int, weeks: int, today: date) -> date | None:
    """When the family at `position` (1 = first) may start if places keep freeing up as they
    did: `intakes` over the last `weeks`. None when nothing freed up in that time."""
    if intakes <= 0:
        return None
    per_week = intakes / weeks
    return today + timedelta(days=round(7 * position / per_week))
