"""A shared location is never kept longer than a day, whatever happens to the visit."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.config.team import TeamConfig
from bot.models import Role, Visit, VisitLocation, VisitStatus
from bot.services.team.coaches import add_coach
from bot.services.visits import lifecycle as visits
from bot.services.visits.deadlines import purge_locations
from bot.services.visits.input import VisitRequest

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


async def test_locations_go_after_a_day_and_with_the_visit(session):
    config = TeamConfig()
    coach = await add_coach(session, name="Anna de Vries", role=Role.COACH, config=config, now=NOW)
    visit = await visits.start(
        session, config, coach, VisitRequest(None, length=timedelta(hours=2)), NOW
    )
    assert await visits.record_location(session, coach, 52.3, 6.6, live=True, now=NOW)
    await session.commit()

    await purge_locations(session, config, NOW + timedelta(hours=23))
    assert await session.scalar(select(func.count()).select_from(VisitLocation)) == 1
    await purge_locations(session, config, NOW + timedelta(hours=24, seconds=1))
    assert await session.scalar(select(func.count()).select_from(VisitLocation)) == 0
    await session.refresh(visit)
    assert visit.status == VisitStatus.RUNNING  # the visit itself still raises its alarm


async def test_pending_visits_nobody_finished_expire(session):
    config = TeamConfig()
    coach = await add_coach(session, name="Bram Jansen", role=Role.COACH, config=config, now=NOW)
    await visits.start(session, config, coach, VisitRequest(None), NOW)
    await purge_locations(session, config, NOW + timedelta(hours=25))
    visit = await session.scalar(select(Visit))
    assert (visit.status, visit.ended_how) == (VisitStatus.ENDED, "expired")
