"""Quiet hours: a coach who reports sick in the night wakes nobody with backup requests; the
requests go out at the morning hour with a deadline in working hours. Gap alerts and waitlist
notices wait too; crisis alerts do not."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config.team import TeamConfig
from bot.models.waitlist_terms import Concern
from bot.scheduling.jobs import run_tick
from bot.services.waitlist import store as waitlist
from bot.services.waitlist.store import Referral
from tests.e2e.absence_setup import absence_team, drain, requests

AMS = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS).astimezone(UTC)


@pytest.fixture
def config() -> TeamConfig:
    # Two hours to answer a backup request (the default), quiet 20:00-08:00 and weekends.
    from tests.e2e.team_setup import crisis_config

    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0  # the test moves the clock and ticks by hand


async def test_sick_at_night_asks_nobody_before_the_morning(member, sessionmaker, clock, bot_app):
    clock.set(local(2026, 11, 26, 1, 30))  # Thursday 01:30
    team = await absence_team(member, sessionmaker)
    anna, bram, cem, sara = team["Anna"], team["Bram"], team["Cem"], team["Sara"]
    reply = await anna.ask("/absent ziek")
    assert reply.endswith(
        "Ik vraag back-ups voor 8 gezinnen om do 26 nov 08:00, na de stille uren."
    )
    await run_tick(bot_app)
    assert requests(await drain(bram)) == {} and requests(await drain(cem)) == {}
    # The lead hears at once of the gap under way (that cannot wait), of nothing else.
    assert [m["text"] for m in await drain(sara)] == [
        "Gat in het rooster: niemand heeft Piket do 26 nov 01:30–08:30. Anna de Vries is "
        "afwezig. Wijs iemand toe met /override."
    ]

    clock.set(local(2026, 11, 26, 7, 59))
    await run_tick(bot_app)
    assert requests(await drain(bram)) == {}

    clock.set(local(2026, 11, 26, 8, 0))
    await run_tick(bot_app)
    to_bram = requests(await drain(bram))
    assert len(to_bram) == 6
    # Two working hours from the morning hour, not from 01:30.
    assert to_bram["GZ-101"]["text"].endswith(
        "Antwoord graag vóór do 26 nov 10:00; daarna vraag ik iemand anders."
    )
    # The later gaps come in the morning, in one message.
    morning = [m["text"] for m in await drain(sara)]
    assert len(morning) == 1 and morning[0].startswith("Gaten in het rooster")


async def test_friday_evening_waits_for_monday_across_the_clock_change(
    member, sessionmaker, clock, bot_app
):
    clock.set(local(2026, 3, 27, 21, 0))  # Friday evening; clocks go forward on Sunday
    team = await absence_team(member, sessionmaker)
    anna, bram = team["Anna"], team["Bram"]
    assert (await anna.ask("/absent ziek")).endswith("om ma 30 mrt 08:00, na de stille uren.")
    for instant in (local(2026, 3, 28, 10, 0), local(2026, 3, 29, 12, 0)):
        clock.set(instant)
        await run_tick(bot_app)
        assert requests(await drain(bram)) == {}
    clock.set(datetime(2026, 3, 30, 6, 0, tzinfo=UTC))  # 08:00 summer time
    await run_tick(bot_app)
    to_bram = requests(await drain(bram))
    assert to_bram["GZ-101"]["text"].endswith(
        "Antwoord graag vóór ma 30 mrt 10:00; daarna vraag ik iemand anders."
    )


async def test_gap_and_waitlist_notices_wait_a_crisis_does_not(
    member, sessionmaker, clock, bot_app, config
):
    clock.set(local(2026, 11, 26, 23, 0))  # Thursday 23:00
    team = await absence_team(member, sessionmaker)
    sara, partner = team["Sara"], team["Wijkteam"]
    async with sessionmaker() as session:
        referral = Referral("ALM-0900", date(2026, 9, 1), "huisarts", 2, 2, Concern.NONE)
        await waitlist.add(session, config, referral, actor=None, now=clock.now(), accepted=True)
        await session.commit()
    await team["Anna"].ask("/absent ziek")  # Anna's piket nights become gaps
    await run_tick(bot_app)
    assert not [m for m in await drain(sara) if "Gat" in m["text"] or "ALM-0900" in m["text"]]

    # A crisis at night goes out at once.
    await partner.say("/crisis GZ-101 vader dreigt")
    alerted = [m for p in team.values() for m in await drain(p) if "CRISISMELDING" in m["text"]]
    assert alerted

    clock.set(local(2026, 11, 27, 8, 0))
    await run_tick(bot_app)
    texts = [m["text"] for m in await drain(sara)]
    assert any("ALM-0900 heeft 12 weken (87 dagen) gewacht" in t for t in texts)
    gaps = [t for t in texts if t.startswith("Gat") or t.startswith("Gaten")]
    assert len(gaps) == 1
    lines = gaps[0].split("\n")
    assert lines[:3] == [
        "Gaten in het rooster (niemand in dienst):",
        "• Piket za 28 nov 17:00 – zo 29 nov 17:00: Anna de Vries is afwezig.",
        "• Piket di 1 dec 17:00 – wo 2 dec 08:30: Anna de Vries is afwezig.",
    ]
