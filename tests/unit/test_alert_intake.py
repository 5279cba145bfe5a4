"""Flood control without Telegram: a reporter's repeat joins their open alert within the join
window, and new alerts beyond the ceiling a minute are refused, per reporter."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.config.team import TeamConfig
from bot.models import AlertStatus, Role
from bot.services.alerts.intake import Taken, take_in
from bot.services.team.coaches import add_coach

NIGHT = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)  # Monday 23:00 in Amsterdam


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": {
                "piket": {"members": ["Bram Jansen"], "shift": "week", "start": date(2026, 11, 2)}
            },
            "alerts": {"join_window": "10m", "max_new_per_minute": 2},
        }
    )


@pytest.fixture
async def people(session, config):
    found = {}
    for number, (name, role) in enumerate(
        [("Bram Jansen", Role.COACH), ("Cem Yilmaz", Role.COACH), ("Wijkteam Noord", Role.PARTNER)]
    ):
        coach = await add_coach(session, name=name, role=role, config=config, now=NIGHT)
        coach.telegram_user_id = 5000 + number
        found[name.split()[0]] = coach
    await session.commit()
    return found


async def test_a_repeat_joins_the_open_alert_until_the_window_has_passed(session, config, people):
    cem = people["Cem"]

    async def raise_(code: str, at: datetime):
        return await take_in(session, config, reporter=cem, code=code, text="nood", now=at)

    first = await raise_("GZ-1", NIGHT)
    assert first.result is Taken.NEW
    again = await raise_("gz-1", NIGHT + timedelta(minutes=9))
    assert again.result is Taken.JOINED and again.alert.id == first.alert.id
    later = await raise_("GZ-1", NIGHT + timedelta(minutes=11))
    assert later.result is Taken.NEW and later.alert.id != first.alert.id

    # Another reporter for the same family raises their own alert.
    other = await take_in(
        session, config, reporter=people["Wijkteam"], code="GZ-1", text="nood", now=NIGHT
    )
    assert other.result is Taken.NEW

    # A taken alert is not joined: a new crisis after the take is a new alert.
    later.alert.status = AlertStatus.TAKEN
    await session.flush()
    after_take = await raise_("GZ-1", NIGHT + timedelta(minutes=13))
    assert after_take.result is Taken.NEW


async def test_the_ceiling_is_per_reporter_and_per_minute(session, config, people):
    cem, wijk = people["Cem"], people["Wijkteam"]

    async def raise_(who, code: str, at: datetime):
        return (await take_in(session, config, reporter=who, code=code, text="x", now=at)).result

    assert [await raise_(cem, f"GZ-{n}", NIGHT) for n in range(4)] == [
        Taken.NEW,
        Taken.NEW,
        Taken.REFUSED,
        Taken.REFUSED,
    ]
    assert await raise_(cem, "GZ-0", NIGHT) is Taken.JOINED  # a repeat is not refused
    assert await raise_(wijk, "GZ-9", NIGHT) is Taken.NEW
    assert await raise_(cem, "GZ-2", NIGHT + timedelta(seconds=61)) is Taken.NEW
