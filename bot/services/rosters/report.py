"""The team lead's roster report: who carries how many duty hours against their fte share, the
gaps, coaches rostered while absent, and rest-rule conflicts. No Telegram here; the text is in
roster_report_text.

Hours are real elapsed time (all instants are UTC), so a piket night across a clock change
counts 1 hour more or less; local time only matters for display.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import DUTIES, Duty, RestRule
from bot.config.team import TeamConfig
from bot.services.rosters.core import Shift
from bot.services.rosters.store import RosterState, load_roster

# Hours are compared over this long, looking back and ahead (the digest runs weekly, so each
# week overlaps the last; that smooths out single long weekends).
PERIOD = timedelta(weeks=8)
# A conflict that has just happened is still worth a word with the coach, so rest rules are
# checked from a week back as well as over the coming PERIOD.
REST_LOOKBACK = timedelta(weeks=1)
# Rotations hand out whole shifts (a day or a week) of unequal length (a Friday piket runs the
# whole weekend, a holiday adds a day), so over 8 weeks nobody lands exactly on their share.
# Flagging only more than 10 % over keeps the list to the coaches who really carry extra.
OVERLOAD_TOLERANCE = 0.10
# The longest rest a rule may ask for (RestRule.min_rest_hours), so how far before the first
# checked start an `after` shift can still matter.
MAX_REST = timedelta(hours=72)
# The fte of a rotation name not linked to a Coach record: we know nothing, so a full share.
UNLINKED_FTE = 1.0


@dataclass(frozen=True)
class CoachHours:
    name: str
    fte: float
    hours: dict[Duty, float]  # real elapsed hours per duty, only duties held
    share: float  # fair share of the period's held hours by fte; 0 when not on a rotation
    linked: bool  # False: a rotation name without a Coach record (counted as UNLINKED_FTE)
    on_rotation: bool  # False: held hours only through overrides (say a team lead stepping in)

    @property
    def total(self) -> float:
        return sum(self.hours.values())

    @property
    def difference(self) -> float:
        return self.total - self.share

    @property
    def over_share(self) -> bool:
        # Stepping in outside the rotations is not counted as carrying more than a share.
        return self.on_rotation and self.total > self.share * (1 + OVERLOAD_TOLERANCE)


@dataclass(frozen=True)
class HoursPeriod:
    start: datetime
    end: datetime
    duties: list[Duty]
    coaches: list[CoachHours]  # rotation members in config order, then other holders by name

    @property
    def held_hours(self) -> float:
        return sum(c.total for c in self.coaches)


@dataclass(frozen=True)
class RestConflict:
    coach: str
    rule: RestRule
    earlier: Shift  # the `after` stint, ending at earlier.end
    later: Shift  # the `before` stint, starting too soon

    @property
    def rest_hours(self) -> float:
        return _hours(self.later.start - self.earlier.end)


@dataclass(frozen=True)
class RosterReport:
    now: datetime
    past: HoursPeriod
    coming: HoursPeriod
    gaps: list[Shift]  # nobody on duty in the coming PERIOD, by start
    absent_rostered: list[Shift]  # the gaps where the rostered coach is absent
    rest_conflicts: list[RestConflict]
    rest_from: datetime  # rest conflicts are those whose later stint starts from here
    rest_rules: tuple[RestRule, ...]
    unlinked: list[str]

    @property
    def needs_attention(self) -> bool:
        over = any(c.over_share for p in (self.past, self.coming) for c in p.coaches)
        return bool(self.gaps or self.rest_conflicts or over)


def _hours(span: timedelta) -> float:
    return span.total_seconds() / 3600


def _clip(shifts: Iterable[Shift], start: datetime, end: datetime) -> list[Shift]:
    return [
        replace(s, start=max(s.start, start), end=min(s.end, end))
        for s in shifts
        if s.end > start and s.start < end
    ]


def _period(state: RosterState, shifts: list[Shift], start: datetime, end: datetime) -> HoursPeriod:
    duties = state.config.duties.rostered_duties()
    members = state.config.duties.members()
    hours: dict[str, dict[Duty, float]] = {name: {} for name in members}
    for shift in _clip(shifts, start, end):
        if shift.holder is not None:
            held = hours.setdefault(shift.holder, {})
            held[shift.duty] = held.get(shift.duty, 0.0) + _hours(shift.end - shift.start)

    def fte(name: str) -> float:
        coach = state.coach(name)
        return UNLINKED_FTE if coach is None else coach.fte

    total_fte = sum(fte(name) for name in members)
    held_total = sum(sum(h.values()) for h in hours.values())
    others = sorted(set(hours) - set(members))
    coaches = [
        CoachHours(
            name=name,
            fte=fte(name),
            hours={d: hours[name][d] for d in duties if d in hours[name]},
            share=held_total * fte(name) / total_fte if name in members and total_fte else 0.0,
            linked=state.coach(name) is not None,
            on_rotation=name in members,
        )
        for name in [*members, *others]
    ]
    return HoursPeriod(start, end, duties, coaches)


def _stints(shifts: list[Shift]) -> list[Shift]:
    """Adjacent pieces of one duty with the same holder joined: an override edge in the middle
    of someone's night is not the start of a new shift."""
    joined: list[Shift] = []
    for shift in sorted(shifts, key=lambda s: s.start):
        last = joined[-1] if joined else None
        if last is not None and last.end == shift.start and last.holder == shift.holder:
            joined[-1] = replace(last, end=shift.end)
        else:
            joined.append(shift)
    return joined


def _rest_conflicts(
    rules: Iterable[RestRule], shifts: list[Shift], start: datetime, end: datetime
) -> list[RestConflict]:
    by_duty = {duty: _stints([s for s in shifts if s.duty == duty]) for duty in DUTIES}
    conflicts = []
    for rule in rules:
        minimum = timedelta(hours=rule.min_rest_hours)
        for earlier in by_duty[rule.after]:
            if earlier.holder is None:
                continue
            for later in by_duty[rule.before]:
                if (
                    later.holder == earlier.holder
                    and start <= later.start < end
                    and earlier.end <= later.start < earlier.end + minimum
                ):
                    conflicts.append(RestConflict(earlier.holder, rule, earlier, later))
    return sorted(conflicts, key=lambda c: (c.later.start, c.coach))


def periods(now: datetime, tz: tzinfo) -> tuple[datetime, datetime, datetime]:
    """The start of the past period, today's local midnight and the end of the coming one:
    the periods run over whole local days, so the report can name them by their days."""
    today = now.astimezone(tz).date()

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)

    return midnight(today - PERIOD), midnight(today), midnight(today + PERIOD)


def report_span(now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """The stretch the report needs the roster for."""
    past_start, _, coming_end = periods(now, tz)
    return min(past_start, now - REST_LOOKBACK - MAX_REST), coming_end


def compute_report(state: RosterState, now: datetime) -> RosterReport:
    """The report from a roster loaded (at least) for report_span(now)."""
    rest_from = now - REST_LOOKBACK
    past_start, today, until = periods(now, state.config.tz)
    lo, _ = report_span(now, state.config.tz)
    shifts = state.all_shifts(lo, until)
    # Gaps are told whole: one already under way from when it began, one running past the
    # period until it ends.
    gaps = [s for s in state.overlapping(now, until) if s.holder is None]
    return RosterReport(
        now=now,
        past=_period(state, shifts, past_start, today),
        coming=_period(state, shifts, today, until),
        gaps=gaps,
        absent_rostered=[s for s in gaps if s.absent is not None],
        rest_conflicts=_rest_conflicts(state.config.duties.rest_rules, shifts, rest_from, until),
        rest_from=rest_from,
        rest_rules=state.config.duties.rest_rules,
        unlinked=list(state.unlinked),
    )


async def build_report(session: AsyncSession, config: TeamConfig, now: datetime) -> RosterReport:
    state = await load_roster(session, config, *report_span(now, config.tz))
    return compute_report(state, now)
