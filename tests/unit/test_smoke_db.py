from bot.models import Role
from bot.services.team.coaches import add_coach, find_by_name


async def test_coach_round_trips_with_aware_utc_times(session, config, clock):
    await add_coach(
        session, name="  Anna   de Vries ", role=Role.COACH, config=config, now=clock.now(), fte=0.8
    )
    await session.commit()
    found = await find_by_name(session, "anna de vries")
    assert found is not None
    assert found.name == "Anna de Vries"
    assert found.caseload_limit == 8
    assert found.created_at == clock.now()
