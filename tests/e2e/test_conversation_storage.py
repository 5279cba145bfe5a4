"""A half-finished conversation is stored for the standby with the moment of its last step, in
one write: a standby that found the step without its moment would take the coach's next answer
for a stale one and end the /crisis ("no answer for 10 minutes") right after a failover."""

from datetime import datetime

import pytest
from sqlalchemy import event, select

from bot.config.team import TeamConfig
from bot.models import ConversationState
from tests.e2e.team_setup import crisis_config, crisis_team


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker):
    return await crisis_team(member, sessionmaker)


async def stored(sessionmaker) -> dict[str, object]:
    async with sessionmaker() as session:
        rows = await session.execute(select(ConversationState.kind, ConversationState.data))
        return {kind: data for kind, data in rows}


async def test_a_step_and_its_moment_are_stored_together_or_not_at_all(
    team, bot_app, engine, sessionmaker, clock
):
    refused: list[str] = []

    # The database takes the conversation's state but is gone before the user's data.
    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def gone(conn, cursor, statement, parameters, context, executemany):
        if "conversation_state" in statement and "'user_data'" in repr(parameters):
            refused.append(statement)
            raise ConnectionError("database gone")

    asked = await team["Bram"].ask("/crisis GZ-1042")
    assert asked.startswith("Gebruik: /crisis CODE")
    await bot_app.update_persistence()
    assert refused
    assert await stored(sessionmaker) == {}

    # Back again: the next run writes what the failed one held, although nothing changed since.
    event.remove(engine.sync_engine, "before_cursor_execute", gone)
    await bot_app.update_persistence()
    rows = await stored(sessionmaker)
    assert rows["conversation"] == {"state": 1}
    steps = rows["user_data"]["conversation_last_step"]
    assert datetime.fromisoformat(steps["crisis"]) == clock.now().replace(microsecond=0)
