"""The waitlist order on a realistic list: explained scores, ties, the safety skip and long
waits rising."""

from dataclasses import dataclass
from datetime import date

from bot.config.waitlist import WaitlistConfig
from bot.models.waitlist_terms import Concern
from bot.services.waitlist.priority import expected_start, ranked, score

TODAY = date(2026, 11, 23)
CONFIG = WaitlistConfig()


@dataclass
class Entry:
    code: str
    referral_date: date
    complexity: int
    cost_band: int
    concern: Concern = Concern.NONE


def order(entries: list[Entry], today: date = TODAY) -> list[str]:
    return [scored.code for scored in ranked(entries, today, CONFIG)]


def test_the_score_is_its_explained_parts():
    scored = score(Entry("ALM-1", date(2026, 10, 5), 4, 3, Concern.CONCERN), TODAY, CONFIG)
    assert scored.weeks_waiting == 7
    assert (scored.complexity, scored.cost, scored.concern, scored.waiting) == (8, 4.5, 4, 7)
    assert scored.total == 23.5


def test_a_realistic_list():
    entries = [
        Entry("ALM-0101", date(2026, 11, 16), 3, 2),  # 6 + 3 + 0 + 1 = 10
        Entry("ALM-0102", date(2026, 11, 20), 5, 4),  # 10 + 6 = 16
        Entry("ALM-0103", date(2026, 9, 7), 2, 1),  # 4 + 1.5 + 11 weeks = 16.5
        Entry("ALM-0104", date(2026, 11, 22), 1, 1, Concern.ACUTE),  # skips the list
        Entry("ALM-0105", date(2026, 11, 2), 3, 2, Concern.CONCERN),  # 6 + 3 + 4 + 3 = 16
        Entry("ALM-0106", date(2026, 11, 23), 1, 1),  # 3.5
    ]
    # 0102 and 0105 tie at 16: the earlier referral (0105) goes first.
    assert order(entries) == [
        "ALM-0104",
        "ALM-0103",
        "ALM-0105",
        "ALM-0102",
        "ALM-0101",
        "ALM-0106",
    ]


def test_a_long_wait_overtakes_a_complex_newcomer():
    old = Entry("ALM-0200", date(2026, 11, 23), 2, 2)  # 7 today
    new = Entry("ALM-0201", date(2026, 11, 23), 4, 2)  # 11 today
    assert order([old, new]) == ["ALM-0201", "ALM-0200"]
    # Five weeks later the newcomer is not yet referred; the old one has risen by five points.
    later = date(2026, 12, 28)
    newer = Entry("ALM-0202", later, 4, 2)
    assert order([old, newer], later) == ["ALM-0200", "ALM-0202"]


def test_equal_scores_and_dates_fall_back_to_the_code():
    same = [Entry(code, date(2026, 11, 1), 3, 3) for code in ("ALM-9", "ALM-10", "ALM-1")]
    assert order(same) == ["ALM-1", "ALM-10", "ALM-9"]


def test_the_weights_come_from_the_config():
    costly = Entry("ALM-C", date(2026, 11, 23), 1, 4)  # 2 + 6
    complex_ = Entry("ALM-X", date(2026, 11, 23), 4, 1)  # 8 + 1.5
    assert order([costly, complex_]) == ["ALM-X", "ALM-C"]
    cost_first = WaitlistConfig(cost_points=5)
    assert [s.code for s in ranked([costly, complex_], TODAY, cost_first)] == ["ALM-C", "ALM-X"]


def test_expected_start_follows_the_rate_of_intakes():
    # Six intakes in twelve weeks: one every two weeks; third in line starts in six weeks.
    assert expected_start(3, intakes=6, weeks=12, today=TODAY) == date(2027, 1, 4)
    assert expected_start(1, intakes=0, weeks=12, today=TODAY) is None
