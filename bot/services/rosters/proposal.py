"""A proposed roster for a period: every duty's shifts handed out fairly. Pure (no database).

How it decides, so a lead can follow it:
1. The period is cut into slots: bureaudienst per office day (so part-time workdays can be
   respected), piket and piket_second per rotation shift (a day or a week from the handover).
   Closed days (weekends, Dutch public holidays, the team's closed dates) have no bureaudienst
   and make piket longer.
2. Slots are filled in time order. Who can take a slot: on that duty's rotation; for an
   office-hours duty, working that weekday; not absent during it; not holding another duty at
   the same time; and no rest rule of the team config broken (for example no bureaudienst
   within 11 hours after a piket night). Nobody left: the slot is a gap, with the reasons.
3. Of those who can, the one furthest below their fair share (per fte) after taking it wins,
   counting the 8 weeks before the period too (who did more recently does less now). A fair
   share is worked out per duty: the duty's hours (plan and the 8 weeks) split by fte over
   the members of its rotation. For a weekend or holiday piket the fewest such slots per fte
   goes first. Ties go by name: the same input always gives the same roster.
4. Then slots (not weekends or holidays) move from whoever is most over their fair share to
   whoever is under it, while that lowers the spread and breaks no rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from bot.config.duties import DUTIES, OFFICE_DUTIES, Duty, PlannedShift, RestRule
from bot.config.team import TeamConfig
from bot.services.rosters.core import Absence, _at, _nl_holidays, active_windows

IMPROVEMENT_PASSES = 30


@dataclass(frozen=True)
class Person:
    name: str
    fte: float
    duties: frozenset[Duty]
    workdays: frozenset[int] | None = None  # ISO weekdays; None: every day


@dataclass(frozen=True)
class Slot:
    duty: Duty
    start: datetime  # handover to handover
    end: datetime
    pieces: tuple[tuple[datetime, datetime], ...]  # when the duty is actually held
    day: date  # local day it starts
    weekend: bool
    holiday: bool

    @property
    def hours(self) -> float:
        return sum((b - a).total_seconds() for a, b in self.pieces) / 3600

    @property
    def special(self) -> bool:
        """Weekend or holiday piket: shared out by count, not only by hours."""
        return self.duty not in OFFICE_DUTIES and (self.weekend or self.holiday)


@dataclass(frozen=True)
class Gap:
    slot: Slot
    # Why each rotation member could not take it: "workday", "absent", "busy" or "rest".
    reasons: Mapping[str, str]


@dataclass(frozen=True)
class CoachTotals:
    name: str
    fte: float
    hours: float  # in the plan
    fair: float  # the plan hours that would even out plan and history by fte
    history: float
    special: int  # weekend and holiday piket slots
    holidays: int  # slots on a public holiday


@dataclass(frozen=True)
class Proposal:
    first_day: date
    until: date
    assignments: tuple[tuple[Slot, str | None], ...]
    gaps: tuple[Gap, ...]
    totals: tuple[CoachTotals, ...]

    def planned_shifts(self) -> list[PlannedShift]:
        return [PlannedShift(s.duty, who, s.start, s.end) for s, who in self.assignments]


@dataclass
class _Load:
    person: Person
    history: float
    target: float = 0.0  # fair share of plan and history hours together
    hours: float = 0.0
    special: int = 0
    holidays: int = 0
    slots: list[Slot] = field(default_factory=list)

    @property
    def total(self) -> float:
        return self.history + self.hours


def slots(config: TeamConfig, duties: Sequence[Duty], first_day: date, until: date) -> list[Slot]:
    """Every duty's slots in the local days [first_day, until), in time order."""
    tz, found = config.tz, []
    for duty in duties:
        handover = config.duties.handover(duty)
        length = 1 if duty in OFFICE_DUTIES else config.duties.rotation(duty).shift_days
        day = first_day
        while day < until:
            last = min(day + timedelta(days=length), until)
            start, end = _at(day, handover, tz), _at(last, handover, tz)
            pieces = tuple(active_windows(config, duty, start, end))
            if pieces:
                days = _local_days(pieces, tz)
                found.append(
                    Slot(
                        duty,
                        start,
                        end,
                        pieces,
                        day,
                        weekend=any(d.isoweekday() >= 6 for d in days),
                        holiday=any(d in _nl_holidays(d.year) for d in days),
                    )
                )
            day = last
    return sorted(found, key=lambda s: (s.start, DUTIES.index(s.duty)))


def _local_days(pieces: Sequence[tuple[datetime, datetime]], tz: tzinfo) -> set[date]:
    """The local days any hour of the pieces falls on (a Friday night reaches Saturday)."""
    days = set()
    for start, end in pieces:
        day, last = start.astimezone(tz).date(), (end - timedelta(seconds=1)).astimezone(tz).date()
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


def _rest_broken(rules: Sequence[RestRule], mine: Sequence[Slot], slot: Slot) -> bool:
    for rule in rules:
        rest = timedelta(hours=rule.min_rest_hours)
        for other in mine:
            pairs = []
            if rule.after == other.duty and rule.before == slot.duty:
                pairs.append((other, slot))
            if rule.after == slot.duty and rule.before == other.duty:
                pairs.append((slot, other))
            for after, before in pairs:
                for _, ended in after.pieces:
                    for began, _ in before.pieces:
                        if ended <= began < ended + rest:
                            return True
    return False


def _why_not(
    load: _Load,
    slot: Slot,
    absences: Sequence[Absence],
    rules: Sequence[RestRule],
    tz: tzinfo,
    ignore: Slot | None = None,
) -> str | None:
    """None when `load.person` can take `slot`, else the first reason why not."""
    person = load.person
    if slot.duty in OFFICE_DUTIES and person.workdays is not None:
        if slot.pieces[0][0].astimezone(tz).isoweekday() not in person.workdays:
            return "workday"
    first, last = slot.pieces[0][0], slot.pieces[-1][1]
    for absence in absences:
        if absence.name == person.name and absence.start < last:
            if absence.end is None or absence.end > first:
                return "absent"
    mine = [s for s in load.slots if s is not ignore]
    near = [
        s
        for s in mine
        if s.start < slot.end + timedelta(days=4) and s.end > slot.start - timedelta(days=4)
    ]
    # Piket and its second line run at the same hours: never both for one coach.
    if slot.duty not in OFFICE_DUTIES and any(
        s.duty not in OFFICE_DUTIES and s.start < slot.end and slot.start < s.end for s in near
    ):
        return "busy"
    if _rest_broken(rules, near, slot):
        return "rest"
    return None


def propose(
    config: TeamConfig,
    people: Sequence[Person],
    first_day: date,
    until: date,
    absences: Sequence[Absence] = (),
    history: Mapping[str, Mapping[Duty, float]] | None = None,
) -> Proposal:
    """The proposal for the local days [first_day, until); `config` gives office hours,
    handovers, shift lengths and rest rules, `history` the duty hours per name and duty in
    the 8 weeks before."""
    history = history or {}
    tz, rules = config.tz, config.duties.rest_rules
    people = sorted(people, key=lambda p: p.name)
    loads = {p.name: _Load(p, sum(history.get(p.name, {}).values())) for p in people}
    duties = [d for d in DUTIES if any(d in p.duties for p in people)]
    held: dict[int, str | None] = {}
    gaps: list[Gap] = []
    all_slots = slots(config, duties, first_day, until)
    duty_hours = {d: sum(s.hours for s in all_slots if s.duty == d) for d in duties}
    for hours in history.values():
        for duty, value in hours.items():
            if duty in duty_hours:
                duty_hours[duty] += value
    shares = fair_shares(duty_hours, people)
    for load in loads.values():
        load.target = shares[load.person.name]
    for index, slot in enumerate(all_slots):
        pool = [loads[p.name] for p in people if slot.duty in p.duties]
        reasons = {}
        able = []
        for load in pool:
            why = _why_not(load, slot, absences, rules, tz)
            if why is None:
                able.append(load)
            else:
                reasons[load.person.name] = why
        if not able:
            held[index] = None
            gaps.append(Gap(slot, reasons))
            continue
        chosen = min(able, key=lambda load: _greedy_key(load, slot))
        _give(chosen, slot)
        held[index] = chosen.person.name
    _improve(all_slots, held, loads, people, absences, rules, tz)
    return Proposal(
        first_day,
        until,
        tuple((slot, held[i]) for i, slot in enumerate(all_slots)),
        tuple(gaps),
        _totals(loads, people),
    )


def fair_shares(duty_hours: Mapping[Duty, float], people: Sequence[Person]) -> dict[str, float]:
    """Each duty's hours split by fte over the members of its rotation, summed per person."""
    shares = {p.name: 0.0 for p in people}
    for duty, hours in duty_hours.items():
        pool = [p for p in people if duty in p.duties]
        fte = sum(p.fte for p in pool)
        for person in pool:
            shares[person.name] += hours * person.fte / fte if fte else 0.0
    return shares


def _greedy_key(load: _Load, slot: Slot) -> tuple[float | str, ...]:
    after = (load.total + slot.hours - load.target) / load.person.fte
    if slot.special:
        return (load.special / load.person.fte, after, load.person.name)
    return (after, load.person.name)


def _give(load: _Load, slot: Slot) -> None:
    load.hours += slot.hours
    load.slots.append(slot)
    load.special += slot.special
    load.holidays += slot.holiday


def _take(load: _Load, slot: Slot) -> None:
    load.hours -= slot.hours
    load.slots.remove(slot)
    load.special -= slot.special
    load.holidays -= slot.holiday


def _improve(
    all_slots: Sequence[Slot],
    held: dict[int, str | None],
    loads: Mapping[str, _Load],
    people: Sequence[Person],
    absences: Sequence[Absence],
    rules: Sequence[RestRule],
    tz: tzinfo,
) -> None:
    """Moves ordinary slots from over-share to under-share coaches while the weighted spread
    (sum of squared distance to the fair share, over fte) goes down."""
    for _ in range(IMPROVEMENT_PASSES):
        moved = False
        for index, slot in enumerate(all_slots):
            holder = held[index]
            if holder is None or slot.special:
                continue
            giver = loads[holder]
            over = giver.total - giver.target
            if over <= 0:
                continue
            best, best_delta = None, -1e-6
            for person in people:
                taker = loads[person.name]
                if taker is giver or slot.duty not in person.duties:
                    continue
                under = taker.total - taker.target
                h = slot.hours
                delta = (h * h - 2 * over * h) / giver.person.fte + (
                    h * h + 2 * under * h
                ) / person.fte
                if delta < best_delta and _why_not(taker, slot, absences, rules, tz) is None:
                    best, best_delta = taker, delta
            if best is not None:
                _take(giver, slot)
                _give(best, slot)
                held[index] = best.person.name
                moved = True
        if not moved:
            return


def _totals(loads: Mapping[str, _Load], people: Sequence[Person]) -> tuple[CoachTotals, ...]:
    return tuple(
        CoachTotals(
            p.name,
            p.fte,
            round(loads[p.name].hours, 2),
            round(max(0.0, loads[p.name].target - loads[p.name].history), 2),
            round(loads[p.name].history, 2),
            loads[p.name].special,
            loads[p.name].holidays,
        )
        for p in people
    )
