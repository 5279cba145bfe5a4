"""An escalation step fires at its own deadline, not at the next alert tick: the deadline
wakes the scheduler. Real clock and real job queue; the repeating tick is an hour away."""

from datetime import date

import pytest

from bot.config.team import TeamConfig
from bot.scheduling.clock import SystemClock
from tests.e2e.team_setup import crisis_team


@pytest.fixture
def clock() -> SystemClock:
    return SystemClock()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
def config() -> TeamConfig:
    # Piket around the clock, so the route does not depend on when the test runs.
    return TeamConfig.model_validate(
        {
            "duties": {
                "office_hours": {"weekdays": []},
                "piket": {"members": ["Bram Jansen"], "shift": "day", "start": date(2026, 1, 1)},
                "piket_second": {"members": ["Fleur Visser"], "start": date(2026, 1, 5)},
            },
            "alerts": {
                "chain": [{"to": "first", "wait": "1s"}, {"to": "second_line", "wait": "1h"}],
                "tick": "1h",
            },
        }
    )


async def test_the_second_line_is_alerted_when_the_first_step_runs_out(member, sessionmaker):
    team = await crisis_team(member, sessionmaker)
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    first = await team["Bram"].reply()
    await team["Fleur"].expect_nothing_more()
    second = await team["Fleur"].reply()  # within the harness's 5 s, an hour before the tick
    assert second["text"] == first["text"]
