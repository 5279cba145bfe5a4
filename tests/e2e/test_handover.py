"""Scheduled roster notices: reminders before a shift, the handover post in the team group,
gap alerts and unreachable coaches for the team lead, across restarts of the bot."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.config.team import TeamConfig
from bot.models import AbsenceKind, AbsenceRecord, Role
from bot.scheduling.jobs import run_tick
from bot.services.team.coaches import add_coach, find_by_name
from bot.services.team.enrolment import create_invite, redeem
from tests.e2e.conftest import running_bot

GROUP = -100777


@pytest.fixture
def config() -> TeamConfig:
    # Day shifts from 17:00; Monday 23 November is Bram's night, Tuesday Cem's, Wednesday Anna's.
    return TeamConfig.model_validate(
        {
            "team_chat_id": GROUP,
            "duties": {
                "piket": {
                    "members": ["Anna de Vries", "Bram Jansen", "Cem Yilmaz"],
                    "shift": "day",
                    "start": date(2026, 10, 2),
                },
                "notify": {"reminder_minutes": 60, "reachability_hours": 24},
            },
        }
    )


@pytest.fixture
def scheduler_tick() -> float:
    # Only the start-up tick runs on its own; the tests tick by hand after moving the clock.
    return 3600.0


class Team:
    def __init__(self, standin, sessionmaker, config, clock) -> None:
        self.standin, self.sessionmaker, self.config, self.clock = (
            standin,
            sessionmaker,
            config,
            clock,
        )
        self.ids: dict[str, int] = {}

    async def enrol(self, name: str, role: Role = Role.COACH, *, open_chat: bool = True) -> int:
        user_id = 700100 + len(self.ids)
        self.standin.add_user(user_id, name.split()[0], language_code="nl")
        async with self.sessionmaker() as session:
            coach = await add_coach(
                session, name=name, role=role, config=self.config, now=self.clock.now()
            )
            code, _ = await create_invite(
                session, coach, now=self.clock.now(), rules=self.config.enrolment
            )
            await redeem(
                session,
                telegram_user_id=user_id,
                raw_code=code,
                now=self.clock.now(),
                rules=self.config.enrolment,
            )
            await session.commit()
        if open_chat:
            # Telegram only lets a bot write to people who have opened a chat with it.
            self.standin.open_chat(user_id)
        self.ids[name] = user_id
        return user_id


@pytest.fixture
async def team(standin, sessionmaker, config, clock) -> Team:
    team = Team(standin, sessionmaker, config, clock)
    standin.add_group(GROUP, "Team Gezinscoaches")
    for name in ("Anna de Vries", "Bram Jansen", "Cem Yilmaz"):
        await team.enrol(name)
    await team.enrol("Sara Bakker", Role.TEAMLEAD)
    return team


async def test_reminder_and_handover_once_each_across_restarts(standin, runtime, team, clock):
    bram, cem, group = team.ids["Bram Jansen"], team.ids["Cem Yilmaz"], GROUP

    async with running_bot(standin, runtime) as app:
        await run_tick(app)
        await standin.expect_silence(bram)  # 09:00: too early for Bram's 17:00 reminder
        clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))  # 16:00 in Amsterdam
        await run_tick(app)
        reminder = await standin.next_message(bram)
        assert reminder["text"] == (
            "Herinnering: je hebt Piket van ma 23 nov 17:00 tot di 24 nov 08:30."
        )
        await standin.expect_silence(group)

    clock.set(datetime(2026, 11, 23, 15, 30, tzinfo=UTC))
    async with running_bot(standin, runtime) as app:
        await run_tick(app)
        await standin.expect_silence(bram)  # restarted: the reminder is not sent again

    # The bot is down at 17:00, when the handover is due; it catches up when it is back.
    clock.set(datetime(2026, 11, 23, 16, 5, tzinfo=UTC))
    async with running_bot(standin, runtime) as app:
        await run_tick(app)
        handover = await standin.next_message(group)
        assert handover["text"] == (
            "Overdracht: Bram Jansen heeft Piket van ma 23 nov 17:00 tot di 24 nov 08:30."
        )
        await run_tick(app)
        await standin.expect_silence(group)
        await standin.expect_silence(bram)

        clock.set(datetime(2026, 11, 24, 15, 0, tzinfo=UTC))  # Tuesday 16:00
        await run_tick(app)
        assert (await standin.next_message(cem))["text"] == (
            "Herinnering: je hebt Piket van di 24 nov 17:00 tot wo 25 nov 08:30."
        )


async def test_a_gap_from_an_absence_is_told_to_the_team_lead(
    standin, runtime, team, sessionmaker, clock
):
    async with sessionmaker() as session:
        bram = await find_by_name(session, "Bram Jansen")
        session.add(
            AbsenceRecord(
                coach_id=bram.id,
                kind=AbsenceKind.SICK,
                start=clock.now(),
                end=None,
                created_at=clock.now(),
            )
        )
        await session.commit()
    sara = team.ids["Sara Bakker"]
    async with running_bot(standin, runtime) as app:
        await run_tick(app)
        alerts = [m["text"] for m in standin.bot_messages(sara)]
        # Bram stays sick: every one of his coming nights is a gap, told in one message in
        # date order, and once.
        assert len(alerts) == 1
        assert alerts[0].split("\n")[:4] == [
            "Gaten in het rooster (niemand in dienst):",
            "• Piket ma 23 nov 17:00 – di 24 nov 08:30: Bram Jansen is afwezig.",
            "• Piket do 26 nov 17:00 – vr 27 nov 08:30: Bram Jansen is afwezig.",
            "• Piket zo 29 nov 17:00 – ma 30 nov 08:30: Bram Jansen is afwezig.",
        ]
        assert alerts[0].endswith("\nWijs iemand toe met /override.")
        await run_tick(app)
        assert len(standin.bot_messages(sara)) == len(alerts)

        clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))  # 17:00
        await run_tick(app)
        assert (await standin.next_message(GROUP))["text"] == (
            "Niemand heeft Piket vanaf ma 23 nov 17:00. De teamleider is ingelicht."
        )


async def test_unreachable_coaches_are_reported_before_their_shift(standin, runtime, team, clock):
    cem = team.ids["Cem Yilmaz"]
    standin.block(cem)
    sara = team.ids["Sara Bakker"]
    async with running_bot(standin, runtime) as app:
        await run_tick(app)
        await standin.expect_silence(sara)  # Cem's Tuesday night is more than 24 hours away
        clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))  # Monday 17:00
        await run_tick(app)
        assert (await standin.next_message(sara))["text"] == (
            "Cem Yilmaz is niet bereikbaar: Cem Yilmaz heeft nog geen chat met de bot geopend, "
            "of heeft de bot geblokkeerd. Cem Yilmaz heeft Piket vanaf di 24 nov 17:00, en "
            "crisismeldingen zouden niet aankomen."
        )
        await run_tick(app)
        await standin.expect_silence(sara)


async def test_the_weekly_digest_reaches_the_team_lead_once(standin, runtime, team, clock):
    sara = team.ids["Sara Bakker"]
    async with running_bot(standin, runtime) as app:
        await run_tick(app)
        await standin.expect_silence(sara)
        clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))  # Monday 08:00 in Amsterdam
        await run_tick(app)
        digest = await standin.next_message(sara)
        assert digest["text"].startswith("Roosterrapport, ma 30 nov 08:00\n")
        assert "Diensturen komende 8 weken" in digest["text"]
    async with running_bot(standin, runtime) as app:
        await run_tick(app)
        await standin.expect_silence(sara)


async def test_a_reminder_that_fails_to_send_is_retried_and_arrives_once(
    standin, runtime, team, clock
):
    bram = team.ids["Bram Jansen"]
    async with running_bot(standin, runtime) as app:
        await run_tick(app)
        standin.fail_next("sendMessage", error_code=500)
        clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
        await run_tick(app)
        await standin.expect_silence(bram)
        clock.advance(timedelta(seconds=10))  # past the first backoff
        await run_tick(app)
        assert (await standin.next_message(bram))["text"].startswith("Herinnering: je hebt Piket")
        await run_tick(app)
        await standin.expect_silence(bram)
