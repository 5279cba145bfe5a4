"""The coaches' morning reminder: evaluations due and stale contacts, sent once at digest
time on office days, never on a weekend or a public holiday."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.models import Case, Coach, OutboxMessage, Phase, Role
from bot.scheduling.jobs import run_tick


@pytest.fixture
def scheduler_tick() -> float:
    # Only the start-up tick runs on its own; the tests tick by hand after moving the clock.
    return 3600.0


async def _family(sessionmaker, code, coach, *, evaluation=None, contact=None, **more):
    async with sessionmaker() as session:
        owner = await session.scalar(select(Coach).where(Coach.name == coach))
        session.add(
            Case(
                code=code,
                coach_id=owner.id,
                phase=more.pop("phase", Phase.UITVOERING),
                next_evaluation=evaluation,
                last_contact=contact,
                **more,
            )
        )
        await session.commit()


@pytest.fixture
async def team(member, sessionmaker):
    people = {
        "anna": await member("Anna de Vries"),
        "bram": await member("Bram Jansen", language="en"),
        "cem": await member("Cem Yilmaz"),
        "sara": await member("Sara Bakker", role=Role.TEAMLEAD),
    }
    recent = date(2026, 11, 20)
    await _family(
        sessionmaker, "GZ-1", "Anna de Vries", evaluation=date(2026, 11, 26), contact=recent
    )
    await _family(sessionmaker, "GZ-2", "Anna de Vries", contact=date(2026, 11, 1))
    await _family(
        sessionmaker, "GZ-3", "Anna de Vries", evaluation=date(2027, 3, 1), contact=recent
    )
    await _family(sessionmaker, "GZ-4", "Anna de Vries", evaluation=date(2026, 11, 20))
    await _family(
        sessionmaker, "GZ-5", "Bram Jansen", evaluation=date(2026, 11, 24), contact=recent
    )
    # Cem's only family is fine; a closed one of his is not his concern any more.
    await _family(sessionmaker, "GZ-6", "Cem Yilmaz", evaluation=date(2027, 1, 1), contact=recent)
    await _family(
        sessionmaker, "GZ-7", "Cem Yilmaz", phase=Phase.AFSLUITING, end_date=date(2026, 10, 1)
    )
    return people


async def test_the_morning_reminder_comes_once_on_an_office_day(
    standin, runtime, team, clock, bot_app
):
    anna, bram, cem = team["anna"], team["bram"], team["cem"]
    await run_tick(bot_app)  # Monday 09:00: this morning's 08:00 has passed, nothing is sent
    await anna.expect_nothing_more()

    clock.set(datetime(2026, 11, 24, 7, 0, tzinfo=UTC))  # Tuesday 08:00 in Amsterdam
    await run_tick(bot_app)
    assert (await anna.reply())["text"] == (
        "Goedemorgen. Voor je gezinnen:\n"
        "\n"
        "Evaluaties:\n"
        "GZ-4: te laat sinds vr 20 nov\n"
        "GZ-1: op do 26 nov\n"
        "\n"
        "Al een tijd geen contact:\n"
        "GZ-4: nog geen contact vastgelegd\n"
        "GZ-2: laatste contact zo 1 nov, 23 dagen geleden"
    )
    assert (await bram.reply())["text"] == (
        "Good morning. For your families:\n\nEvaluations:\nGZ-5: today"
    )
    await cem.expect_nothing_more()
    await run_tick(bot_app)
    await anna.expect_nothing_more()
    await bram.expect_nothing_more()


async def test_late_the_same_morning_still_sent_once_never_on_a_weekend(
    team, clock, bot_app, sessionmaker
):
    anna = team["anna"]
    await run_tick(bot_app)  # Monday: Tuesday's reminder is planned
    # No tick at Tuesday 08:00 (the bot was down); at 10:30 it catches up, once.
    clock.set(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    await run_tick(bot_app)
    assert (await anna.reply())["text"].startswith("Goedemorgen.")
    await run_tick(bot_app)
    await anna.expect_nothing_more()
    for day in (28, 29):  # Saturday and Sunday 08:00
        clock.set(datetime(2026, 11, day, 7, 0, tzinfo=UTC))
        await run_tick(bot_app)
    await anna.expect_nothing_more()
    clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))  # Monday 08:00
    await run_tick(bot_app)
    assert (await anna.reply())["text"].startswith("Goedemorgen.")
    async with sessionmaker() as session:
        days = {
            key.split(":")[1]
            for key in await session.scalars(
                select(OutboxMessage.key).where(OutboxMessage.kind == "case_reminder")
            )
        }
    assert {"2026-11-24", "2026-11-30"} <= days
    assert not days & {"2026-11-28", "2026-11-29"}


async def test_a_reminder_left_over_from_an_earlier_day_is_not_sent(team, clock, bot_app):
    anna = team["anna"]
    await run_tick(bot_app)  # plans Tuesday 08:00
    clock.set(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))  # down all Tuesday: Wednesday 07:00
    await run_tick(bot_app)
    await anna.expect_nothing_more()


async def test_no_reminder_on_christmas_day(standin, runtime, team, clock, bot_app):
    anna = team["anna"]
    clock.set(datetime(2026, 12, 24, 12, 0, tzinfo=UTC))  # Thursday 24 December
    await run_tick(bot_app)
    clock.set(datetime(2026, 12, 25, 7, 0, tzinfo=UTC))  # Christmas Day, a Friday
    await run_tick(bot_app)
    await anna.expect_nothing_more()
    clock.set(datetime(2026, 12, 28, 7, 0, tzinfo=UTC))  # Monday 28 December
    await run_tick(bot_app)
    assert "GZ-1: te laat sinds do 26 nov" in (await anna.reply())["text"]
