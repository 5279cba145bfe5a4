"""The proposed roster (bot/services/rosters/proposal.py) over random teams: part-time fte,
workdays and leave. It must never break a workday, an absence or a rest rule, share duty hours
by fte and give the same roster for the same team."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config.team import TeamConfig
from bot.services.rosters.core import Absence
from bot.services.rosters.proposal import Person, propose

FIRST = date(2027, 1, 4)
UNTIL = FIRST + timedelta(weeks=13)
REST = timedelta(hours=11)
CONFIG = TeamConfig.model_validate(
    {
        "duties": {
            "bureaudienst": {"members": ["-"], "shift": "week", "start": "2026-11-16"},
            "piket": {"members": ["-"], "shift": "day", "start": "2026-11-16"},
            "rest_rules": [{"after": "piket", "before": "bureaudienst", "min_rest_hours": 11}],
        }
    }
)
BOTH = frozenset({"bureaudienst", "piket"})
WORKWEEKS = [None, frozenset({1, 2, 3, 4}), frozenset({1, 2, 4, 5}), frozenset({2, 3, 4, 5})]


@st.composite
def teams(draw, max_leave_days: int = 10):
    size = draw(st.integers(min_value=4, max_value=8))
    people, absences = [], []
    for number in range(size):
        name = f"Coach {number:02d}"
        fte = draw(st.sampled_from([0.5, 0.6, 0.7, 0.8, 0.9, 1.0]))
        people.append(Person(name, fte, BOTH, draw(st.sampled_from(WORKWEEKS))))
        if draw(st.booleans()):
            offset = draw(st.integers(min_value=0, max_value=85))
            length = draw(st.integers(min_value=1, max_value=max_leave_days))
            start = datetime.combine(FIRST + timedelta(days=offset), datetime.min.time(), UTC)
            absences.append(Absence(name, start, start + timedelta(days=length)))
    return people, absences


def _check_rules(proposal, people, absences) -> None:
    by_name = {p.name: p for p in people}
    mine: dict[str, list] = {}
    for slot, holder in proposal.assignments:
        if holder is None:
            continue
        mine.setdefault(holder, []).append(slot)
        first, last = slot.pieces[0][0], slot.pieces[-1][1]
        if slot.duty == "bureaudienst":
            weekday = first.astimezone(CONFIG.tz).isoweekday()
            workdays = by_name[holder].workdays
            assert workdays is None or weekday in workdays, (holder, slot)
        for absence in absences:
            if absence.name == holder:
                assert not (absence.start < last and absence.end > first), (holder, slot)
    for slots in mine.values():
        ends = [end for s in slots if s.duty == "piket" for _, end in s.pieces]
        starts = [start for s in slots if s.duty == "bureaudienst" for start, _ in s.pieces]
        for end in ends:
            assert not any(end <= start < end + REST for start in starts)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(teams())
def test_no_workday_absence_or_rest_rule_is_broken_and_gaps_say_why(team):
    people, absences = team
    proposal = propose(CONFIG, people, FIRST, UNTIL, absences)
    _check_rules(proposal, people, absences)
    for gap in proposal.gaps:
        # A gap only where every member of the rotation had a reason not to take it.
        assert set(gap.reasons) == {p.name for p in people}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(teams(max_leave_days=7))
def test_duty_hours_follow_fte_within_ten_percent_over_13_weeks(team):
    people, absences = team
    proposal = propose(CONFIG, people, FIRST, UNTIL, absences)
    hours = {t.name: t.hours for t in proposal.totals}
    total, fte = sum(hours.values()), sum(p.fte for p in people)
    for person in people:
        fair = person.fte / fte
        assert abs(hours[person.name] / total - fair) <= 0.10 * fair, (person, hours)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(teams(), st.randoms(use_true_random=False))
def test_the_same_team_gives_the_same_roster(team, random):
    people, absences = team
    first = propose(CONFIG, people, FIRST, UNTIL, absences)
    shuffled = list(people)
    random.shuffle(shuffled)
    again = propose(CONFIG, shuffled, FIRST, UNTIL, list(reversed(absences)))
    assert again.planned_shifts() == first.planned_shifts()
    assert again.totals == first.totals


def test_who_did_more_in_the_last_8_weeks_does_less_now():
    people = [Person(n, 1.0, BOTH) for n in ("Anna", "Bram", "Cem", "Dirk")]
    even = propose(CONFIG, people, FIRST, UNTIL)
    busy = propose(CONFIG, people, FIRST, UNTIL, history={"Anna": {"piket": 150.0}})
    hours = {t.name: t.hours for t in busy.totals}
    assert hours["Anna"] < min(hours["Bram"], hours["Cem"], hours["Dirk"]) - 40
    assert {t.name: t.hours for t in even.totals}["Anna"] > hours["Anna"] + 100


def test_weekend_and_holiday_piket_is_shared_evenly_and_reported():
    people = [Person(n, 1.0, BOTH) for n in ("Anna", "Bram", "Cem", "Dirk", "Eva")]
    # Easter Monday (29 March 2027) and Koningsdag (27 April) fall in this quarter.
    proposal = propose(CONFIG, people, date(2027, 3, 1), date(2027, 5, 31))
    special = [t.special for t in proposal.totals]
    assert max(special) - min(special) <= 1
    assert sum(t.holidays for t in proposal.totals) >= 2
    easter = [
        holder
        for slot, holder in proposal.assignments
        if slot.day == date(2027, 3, 29) and slot.duty == "piket"
    ]
    # Closed for Easter Monday: no bureaudienst, and the piket slot covers the whole day.
    assert len(easter) == 1
    assert not [
        s for s, _ in proposal.assignments if s.day == date(2027, 3, 29) and s.duty != "piket"
    ]


def test_nobody_can_is_a_gap_with_the_reasons():
    people = [Person("Anna", 1.0, BOTH, frozenset({1, 2, 3, 4})), Person("Bram", 1.0, BOTH)]
    away = Absence("Bram", datetime(2027, 1, 7, tzinfo=UTC), datetime(2027, 1, 9, tzinfo=UTC))
    proposal = propose(CONFIG, people, FIRST, FIRST + timedelta(weeks=1), [away])
    office = {g.slot.day: g.reasons for g in proposal.gaps if g.slot.duty == "bureaudienst"}
    # Bram is away Thursday and Friday; Anna held the Wednesday night (rest rule) and does
    # not work on Fridays.
    assert office == {
        date(2027, 1, 7): {"Anna": "rest", "Bram": "absent"},
        date(2027, 1, 8): {"Anna": "workday", "Bram": "absent"},
    }


def test_the_night_the_clocks_go_forward_is_an_hour_shorter():
    people = [Person(n, 1.0, BOTH) for n in ("Anna", "Bram", "Cem")]
    proposal = propose(CONFIG, people, date(2027, 3, 22), date(2027, 4, 5))
    piket = {s.day: s for s, _ in proposal.assignments if s.duty == "piket"}
    # Saturday 17:00 to Sunday 17:00 local across the change to summer time: 23 hours.
    assert piket[date(2027, 3, 27)].hours == 23
    # Easter Monday is closed: Sunday's piket runs to Monday 17:00.
    assert piket[date(2027, 3, 28)].hours == 24 and piket[date(2027, 3, 28)].holiday
    assert piket[date(2027, 3, 23)].hours == 15.5 and not piket[date(2027, 3, 23)].special
    # A Friday night reaches into Saturday: weekend piket.
    assert piket[date(2027, 4, 2)].weekend
