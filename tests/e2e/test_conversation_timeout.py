"""Step-by-step conversations end when left unanswered: a stray message long after
`/crisis CODE` is never taken as the crisis text, and nothing else is done late either; a
step is stored with the moment it was taken, for the standby."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from bot.config.team import TeamConfig
from bot.models import AbsenceRecord, Alert, ConversationState, Role
from bot.models.waitlist import WaitlistEntry
from bot.services.team.coaches import add_coach
from bot.services.team.enrolment import create_invite, redeem
from tests.e2e.conftest import running_bot
from tests.e2e.harness import Person, buttons
from tests.e2e.team_setup import add_family, crisis_config, crisis_team

TIMED_OUT = (
    "/{command} is gestopt: {minutes} minuten geen antwoord. {nothing} "
    "Begin opnieuw met /{command} als je het nog nodig hebt."
)
NOT_UNDERSTOOD = "Dat begreep ik niet. /help laat zien wat je kunt doen."


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


async def count(sessionmaker, model) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def stored_conversations(sessionmaker) -> dict[str, object]:
    async with sessionmaker() as session:
        rows = await session.execute(select(ConversationState.kind, ConversationState.data))
        return {kind: data for kind, data in rows}


class TestWithTheTeam:
    @pytest.fixture
    async def team(self, member, sessionmaker):
        return await crisis_team(member, sessionmaker)

    async def test_a_stray_text_eleven_minutes_after_crisis_code_raises_nothing(
        self, team, clock, sessionmaker
    ):
        bram = team["Bram"]
        assert (await bram.ask("/crisis GZ-1042")).startswith("Gebruik: /crisis CODE")
        clock.advance(timedelta(minutes=11))
        told = await bram.ask("ok, tot straks")
        assert told == TIMED_OUT.format(
            command="crisis", minutes=10, nothing="Er is geen crisismelding verstuurd."
        )
        for name in ("Anna", "Eva", "Fleur", "Sara"):
            await team[name].expect_nothing_more()
        assert await count(sessionmaker, Alert) == 0
        # The conversation is over: the next text is not an answer either.
        assert await bram.ask("moeder belt") == NOT_UNDERSTOOD
        assert await count(sessionmaker, Alert) == 0

    async def test_an_answer_within_the_timeout_raises_the_alert(self, team, clock):
        bram = team["Bram"]
        await bram.ask("/crisis GZ-1042")
        clock.advance(timedelta(minutes=9))
        assert (await bram.ask("moeder belt, vader dreigt")).startswith(
            "Je crisismelding GZ-1042 is opgeslagen"
        )
        assert (await team["Anna"].reply())["text"].startswith("🚨 CRISISMELDING GZ-1042")

    async def test_a_late_button_in_absent_records_nothing(self, team, clock, sessionmaker):
        eva = team["Eva"]
        await eva.say("/absent")
        question = await eva.reply()
        clock.advance(timedelta(minutes=10, seconds=1))
        await eva.press(question, buttons(question)["Ziek"])
        told = await eva.reply()
        assert told["text"] == TIMED_OUT.format(
            command="absent", minutes=10, nothing="Er is niets gemeld."
        )
        assert await count(sessionmaker, AbsenceRecord) == 0

    async def test_a_late_answer_in_waitlist_add_adds_nothing(self, team, clock, sessionmaker):
        sara = team["Sara"]
        await sara.say("/waitlist_add ALM-0800")
        await sara.reply()
        clock.advance(timedelta(hours=3))
        told = await sara.ask("vandaag")
        assert told == TIMED_OUT.format(
            command="waitlist_add", minutes=10, nothing="Er is niets op de wachtlijst gezet."
        )
        assert await count(sessionmaker, WaitlistEntry) == 0

    async def test_a_step_and_its_moment_are_stored_together_or_not_at_all(
        self, team, bot_app, engine, sessionmaker, clock
    ):
        """For the standby: a step stored without its moment reads as stale there, and the
        coach's next answer would end the /crisis right after a failover."""
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
        assert await stored_conversations(sessionmaker) == {}

        # Back again: the next run writes what the failed one held, though nothing changed.
        event.remove(engine.sync_engine, "before_cursor_execute", gone)
        await bot_app.update_persistence()
        rows = await stored_conversations(sessionmaker)
        assert rows["conversation"] == {"state": 1}
        steps = rows["user_data"]["conversation_last_step"]
        assert datetime.fromisoformat(steps["crisis"]) == clock.now().replace(microsecond=0)


class TestAShortTimeout:
    @pytest.fixture
    def config(self) -> TeamConfig:
        return crisis_config().model_copy(update={"conversation_timeout": timedelta(seconds=1)})

    async def test_the_reporter_is_told_when_the_time_is_up(self, member, sessionmaker):
        team = await crisis_team(member, sessionmaker)
        bram = team["Bram"]
        await bram.ask("/crisis GZ-1042")
        # Nobody answers: the bot says so by itself, on the wall clock.
        told = await bram.reply()
        assert told["text"] == (
            "/crisis is gestopt: 1 minuut geen antwoord. Er is geen crisismelding verstuurd. "
            "Begin opnieuw met /crisis als je het nog nodig hebt."
        )
        assert await bram.ask("moeder belt") == NOT_UNDERSTOOD
        assert await count(sessionmaker, Alert) == 0


async def enrol(standin, sessionmaker, config, clock, user_id: int, name: str, role: Role):
    standin.add_user(user_id, name.split()[0], language_code="nl")
    standin.open_chat(user_id)
    async with sessionmaker() as session:
        coach = await add_coach(session, name=name, role=role, config=config, now=clock.now())
        code, _ = await create_invite(session, coach, now=clock.now(), rules=config.enrolment)
        rules = config.enrolment
        await redeem(session, telegram_user_id=user_id, raw_code=code, now=clock.now(), rules=rules)
        await session.commit()


async def test_across_a_restart_the_stray_text_raises_nothing(
    standin, runtime, sessionmaker, config, clock
):
    await enrol(standin, sessionmaker, config, clock, 801, "Anna de Vries", Role.COACH)
    await enrol(standin, sessionmaker, config, clock, 802, "Bram Jansen", Role.COACH)
    await add_family(sessionmaker, "GZ-1042", "Anna de Vries")
    async with running_bot(standin, runtime) as app:
        bram = Person(standin, app, 802, "Bram Jansen")
        assert (await bram.ask("/crisis GZ-1042")).startswith("Gebruik: /crisis CODE")
    # The bot is down; Bram writes something else eleven minutes later.
    clock.advance(timedelta(minutes=11))
    async with running_bot(standin, runtime) as app:
        bram = Person(standin, app, 802, "Bram Jansen")
        # The conversation is stored (it survives a failover), so it is known to be stale.
        assert (await bram.ask("ok, tot straks")).startswith("/crisis is gestopt")
        await standin.expect_silence(801)
    assert await count(sessionmaker, Alert) == 0


async def test_across_a_restart_an_answer_in_time_raises_the_alert(
    standin, runtime, sessionmaker, config, clock
):
    await enrol(standin, sessionmaker, config, clock, 801, "Anna de Vries", Role.COACH)
    await enrol(standin, sessionmaker, config, clock, 802, "Bram Jansen", Role.COACH)
    await add_family(sessionmaker, "GZ-1042", "Anna de Vries")
    async with running_bot(standin, runtime) as app:
        bram = Person(standin, app, 802, "Bram Jansen")
        assert (await bram.ask("/crisis GZ-1042")).startswith("Gebruik: /crisis CODE")
    clock.advance(timedelta(minutes=3))
    async with running_bot(standin, runtime) as app:
        bram = Person(standin, app, 802, "Bram Jansen")
        await bram.say("Moeder belt in paniek")
    assert await count(sessionmaker, Alert) == 1
