"""A rotation changed with /rota routes the next crisis alert at once (no restart): the alert
route reads the rotations from the database on every alert."""

from datetime import UTC, datetime

import pytest

from bot.config.team import TeamConfig
from tests.e2e.harness import buttons
from tests.e2e.team_setup import crisis_config, crisis_team

EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # Monday 20:00 in Amsterdam


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


async def test_the_new_piket_holder_gets_the_next_alert(member, sessionmaker, clock):
    team = await crisis_team(member, sessionmaker)
    cem = await member("Cem Yilmaz")
    sara = team["Sara"]
    # Piket by the day: Anna, Bram, Cem; tonight is Bram's. Cem moves up to second place.
    await sara.say("/rota move piket Cem 2")
    preview = await sara.reply()
    assert "• ma 23 nov 17:00 – di 24 nov 08:30: Cem Yilmaz (nu: Bram Jansen)" in (
        preview["text"].splitlines()
    )
    await sara.press(preview, buttons(preview)["Bevestigen"])
    assert (await sara.reply())["text"].startswith("Geldt nu: Piket: Cem Yilmaz naar plek 2.")

    clock.set(EVENING)
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    alert = await cem.reply()
    if not alert["text"].startswith("🚨"):
        # Cem took over tonight's shift: the reminder of it may come before the alert.
        assert alert["text"].startswith("Herinnering: je hebt Piket van ma 23 nov 17:00")
        alert = await cem.reply()
    assert alert["text"].startswith("🚨 CRISISMELDING GZ-1042")
    await team["Bram"].expect_nothing_more()
