"""The escalation engine without Telegram: rounds, giving up, and a chain fixed at raise time."""

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import Alert, AlertStatus, OutboxMessage, OverrideKind, Role, RosterOverride
from bot.services.alerts import lifecycle as alerts
from bot.services.team.coaches import add_coach

NIGHT = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)  # Monday 23:00 in Amsterdam


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": {
                "piket": {"members": ["Bram Jansen"], "shift": "week", "start": date(2026, 11, 2)},
                "piket_second": {"members": ["Fleur Visser"], "start": date(2026, 11, 2)},
            },
            "alerts": {
                "chain": [
                    {"to": "first", "wait": 60},
                    {"to": "second_line", "wait": 60},
                    {"to": "team_lead", "wait": 60},
                ],
                "max_rounds": 2,
            },
        }
    )


@pytest.fixture
async def team(session, config):
    people = {}
    for number, (name, role) in enumerate(
        [
            ("Bram Jansen", Role.COACH),
            ("Fleur Visser", Role.COACH),
            ("Cem Yilmaz", Role.COACH),
            ("Sara Bakker", Role.TEAMLEAD),
        ]
    ):
        coach = await add_coach(session, name=name, role=role, config=config, now=NIGHT)
        coach.telegram_user_id = 5000 + number
        people[name.split()[0]] = coach
    await session.commit()
    return people


async def _sent_to(session, alert_id: int) -> list[tuple[int, int, int]]:
    rows = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "alert").order_by(OutboxMessage.id)
    )
    keys = [row.key.split(":") for row in rows if row.payload["alert_id"] == alert_id]
    return [(int(r), int(s), int(c)) for _, _, r, s, c in keys]


async def test_two_rounds_then_reporter_and_lead_are_told(session, config, team):
    bram, fleur, sara, cem = team["Bram"], team["Fleur"], team["Sara"], team["Cem"]
    alert = await alerts.raise_alert(
        session, config, reporter=cem, code="GZ-1", text="help", now=NIGHT
    )
    now = NIGHT
    for _ in range(6):
        now += timedelta(seconds=61)
        await alerts.escalate_due(session, config, now)
    assert await _sent_to(session, alert.id) == [
        (0, 0, bram.id),
        (0, 1, fleur.id),
        (0, 2, sara.id),
        (1, 0, bram.id),
        (1, 1, fleur.id),
        (1, 2, sara.id),
    ]
    assert alert.status is AlertStatus.UNANSWERED
    told = await session.scalars(
        select(OutboxMessage.coach_id).where(OutboxMessage.kind == "alert_unanswered")
    )
    assert set(told) == {cem.id, sara.id}
    now += timedelta(hours=1)
    assert await alerts.escalate_due(session, config, now) == []


async def test_a_roster_change_does_not_change_a_running_alert(session, config, team):
    bram, fleur, cem = team["Bram"], team["Fleur"], team["Cem"]
    alert = await alerts.raise_alert(
        session, config, reporter=fleur, code="GZ-1", text="help", now=NIGHT
    )
    # Mid-alert, Cem takes over the second line.
    session.add(
        RosterOverride(
            duty="piket_second",
            coach_id=cem.id,
            start=NIGHT,
            end=NIGHT + timedelta(days=1),
            kind=OverrideKind.OVERRIDE,
            created_at=NIGHT,
        )
    )
    await session.flush()
    await alerts.escalate_due(session, config, NIGHT + timedelta(seconds=61))
    assert [c for _, _, c in await _sent_to(session, alert.id)] == [bram.id, fleur.id]


async def test_only_one_of_two_simultaneous_takers_wins(sessionmaker, config, team):
    async with sessionmaker() as session:
        alert = await alerts.raise_alert(
            session, config, reporter=team["Cem"], code="GZ-1", text="help", now=NIGHT
        )
        await session.commit()

    async def press(name: str) -> alerts.Outcome:
        async with sessionmaker() as session:
            answer = await alerts.take(session, alert.id, team[name], NIGHT)
            await asyncio.sleep(0.05)
            await session.commit()
            return answer.outcome

    # Sara is team lead, Bram was alerted: both may take it; one does.
    outcomes = await asyncio.gather(press("Bram"), press("Sara"))
    assert sorted(o.value for o in outcomes) == ["already_taken", "taken"]
    async with sessionmaker() as session:
        stored = await session.get(Alert, alert.id)
        assert stored.status is AlertStatus.TAKEN


async def test_someone_not_alerted_cannot_take_or_decline(session, config, team):
    alert = await alerts.raise_alert(
        session, config, reporter=team["Cem"], code="GZ-1", text="help", now=NIGHT
    )
    assert (await alerts.take(session, alert.id, team["Fleur"], NIGHT)).outcome is (
        alerts.Outcome.NOT_YOURS
    )
    assert (await alerts.decline(session, config, alert.id, team["Fleur"], NIGHT)).outcome is (
        alerts.Outcome.NOT_YOURS
    )
    assert alert.status is AlertStatus.OPEN


async def test_escalating_in_batches_takes_the_most_overdue_first(session, config, team):
    cem = team["Cem"]
    raised = []
    for minute in range(3):
        raised.append(
            await alerts.raise_alert(
                session,
                config,
                reporter=cem,
                code=f"GZ-{minute}",
                text="help",
                now=NIGHT + timedelta(minutes=minute),
            )
        )
    now = NIGHT + timedelta(minutes=5)
    assert await alerts.escalate_due(session, config, now, limit=2) == [
        raised[0].id,
        raised[1].id,
    ]
    assert await alerts.escalate_due(session, config, now, limit=2) == [raised[2].id]
    assert await alerts.escalate_due(session, config, now, limit=2) == []
