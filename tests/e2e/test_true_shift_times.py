"""A shift is told with its true start and end in /myshifts, /roster and /rosterreport: one
that began yesterday, one that runs past the window asked about, and one across the night the
clocks go back. Nothing is cut at "now", at "now + 4 weeks" or at the edge of a week."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config.team import TeamConfig
from bot.models import AbsenceKind, AbsenceRecord, Role
from tests.e2e.conftest import coach_named
from tests.e2e.team_setup import week_duties

AMS = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS).astimezone(UTC)


@pytest.fixture
def config() -> TeamConfig:
    # Christmas Eve closed as in the README's example: the second line's week turn from
    # Wednesday 23 December 17:00 runs without a break until Monday 28 December 08:30.
    return TeamConfig.model_validate(
        {
            "duties": week_duties(
                office_hours={"closed_dates": [date(2026, 12, 24)]},
                piket_second={
                    "members": ["Gijs de Boer", "Fleur Visser"],
                    "shift": "week",
                    "start": date(2026, 11, 18),
                },
            )
        }
    )


@pytest.fixture
def clock(clock):
    # Thursday 26 November, 01:23 in the night: Anna's piket began yesterday at 17:00, and
    # four weeks from now is Thursday 24 December 01:23, in the middle of Fleur's turn.
    clock.set(local(2026, 11, 26, 1, 23))
    return clock


async def absent(sessionmaker, name: str, start: datetime, end: datetime) -> None:
    coach = await coach_named(sessionmaker, name)
    async with sessionmaker() as session:
        session.add(
            AbsenceRecord(
                coach_id=coach.id, kind=AbsenceKind.SICK, start=start, end=end, created_at=start
            )
        )
        await session.commit()


async def test_myshifts_tells_a_running_shift_and_one_past_four_weeks_whole(member):
    anna = await member("Anna de Vries")
    lines = (await anna.ask("/myshifts")).splitlines()
    assert lines[:2] == [
        "Je diensten in de komende vier weken:",
        "• wo 25 nov 17:00 – do 26 nov 08:30: Piket",
    ]
    fleur = await member("Fleur Visser")
    # The last of Fleur's turns ends four days after the four weeks.
    assert (await fleur.ask("/myshifts")).splitlines()[-1] == (
        "• wo 23 dec 17:00 – ma 28 dec 08:30: Piket, tweede lijn"
    )


async def test_myshifts_across_the_night_the_clocks_go_back(member, clock):
    clock.set(local(2026, 10, 25, 10, 0))  # Sunday; the clocks went back at 03:00
    bram = await member("Bram Jansen")
    lines = (await bram.ask("/myshifts")).splitlines()
    # 25 hours, from Saturday 17:00 to Sunday 17:00 local time.
    assert lines[1] == "• za 24 okt 17:00 – zo 25 okt 17:00: Piket"


async def test_roster_week_shows_shifts_across_its_edges_whole(member):
    anna = await member("Anna de Vries", language="en")
    christmas = (await anna.ask("/roster 52")).split("\n\n")
    wednesday = christmas[3]
    assert wednesday == (
        "Wednesday 23 December\n"
        "  Bureaudienst 08:30–17:00: Eva Mulder\n"
        "  On call (piket) 17:00 – Thu 24 Dec 17:00: Bram Jansen\n"
        "  On call, second line 17:00 – Mon 28 Dec 08:30: Fleur Visser"
    )
    sunday = christmas[7]
    assert sunday == "Sunday 27 December\n  On call (piket) 17:00–08:30: Cem Yilmaz"
    # The next week starts with the shifts already under way, from when they began.
    monday = (await anna.ask("/roster 53")).split("\n\n")[1]
    assert monday.splitlines()[1:3] == [
        "  On call, second line Wed 23 Dec 17:00 – 08:30: Fleur Visser",
        "  On call (piket) Sun 27 Dec 17:00 – 08:30: Cem Yilmaz",
    ]


async def test_roster_week_of_the_clock_change(member):
    anna = await member("Anna de Vries")
    october = (await anna.ask("/roster 2026-W43")).split("\n\n")
    assert october[7] == "zondag 25 oktober\n  Piket 17:00–08:30: Cem Yilmaz"
    next_monday = (await anna.ask("/roster 2026-W44")).split("\n\n")[1]
    assert "  Piket zo 25 okt 17:00 – 08:30: Cem Yilmaz" in next_monday.splitlines()


async def test_rosterreport_tells_each_gap_once_with_its_true_times(member, sessionmaker):
    lead = await member("Tessa de Leider", role=Role.TEAMLEAD)
    for name in ("Anna de Vries", "Bram Jansen", "Cem Yilmaz", "Dirk Smit", "Eva Mulder"):
        await member(name)
    # Anna's piket night began yesterday; Cem's last night in the report runs past its end
    # (the coming 8 weeks end at midnight before Thursday 21 January).
    await absent(sessionmaker, "Anna de Vries", local(2026, 11, 25, 12), local(2026, 11, 26, 12))
    await absent(sessionmaker, "Cem Yilmaz", local(2027, 1, 20, 12), local(2027, 1, 21, 12))

    text = await lead.ask("/rosterreport")
    lines = text.split("\n")
    assert lines[0] == "Roosterrapport, do 26 nov 01:23"
    assert lines[2].startswith("Diensturen afgelopen 8 weken (do 1 okt – wo 25 nov): ")
    assert any(
        line.startswith("Diensturen komende 8 weken (do 26 nov – wo 20 jan): ") for line in lines
    )
    first = "- Piket: wo 25 nov 17:00 – do 26 nov 08:30, Anna de Vries is afwezig"
    last = "- Piket: wo 20 jan 17:00 – do 21 jan 08:30, Cem Yilmaz is afwezig"
    assert lines.count(first) == 1
    assert lines.count(last) == 1
    # Each gap is told once: the absent coaches are counted, not listed a second time.
    assert text.count("25 nov 17:00") == 1
    assert text.count("20 jan 17:00") == 1
    assert "- Anna de Vries: 1 dienst" in lines
    assert "- Cem Yilmaz: 1 dienst" in lines
