"""Strangers learn nothing; group chats never get private-only answers; groups other than the
team's are left."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import AuditEvent, Coach, Role
from tests.e2e.harness import Person, settle

TEAM_GROUP = -100777


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig(team_chat_id=TEAM_GROUP)


REFUSAL_NL = (
    "Deze bot is alleen voor leden van het team Gezinscoaches. Heb je een uitnodigingscode? "
    "Stuur dan in een privéchat /start gevolgd door de code."
)


async def test_stranger_gets_one_short_refusal_then_silence(stranger, sessionmaker, clock):
    """A flood from a stranger costs one answer and one audit row an hour."""
    assert await stranger.ask("/help") == REFUSAL_NL
    for text in ("hallo", "/language", "/case ALM-0417", "/onzin") * 5:
        await stranger.say(text)
    await stranger.expect_nothing_more()
    clock.advance(timedelta(minutes=61))
    assert await stranger.ask("/alerts") == REFUSAL_NL
    async with sessionmaker() as session:
        rows = (
            await session.execute(
                select(AuditEvent.actor_telegram_id, AuditEvent.subject).where(
                    AuditEvent.action == "access.refused"
                )
            )
        ).all()
    assert rows == [(900001, "help"), (900001, "alerts")]


async def test_stranger_in_english(standin, bot_app):
    standin.add_user(900002, "Tourist", language_code="en")
    tourist = Person(standin, bot_app, 900002, "Tourist")
    assert (await tourist.ask("/help")).startswith("This bot is only for members")


async def test_old_button_after_losing_access_is_refused(standin, member, sessionmaker):
    anna = await member("Anna de Vries")
    await anna.say("/language")
    question = await anna.reply()
    await _deactivate(sessionmaker, "Anna de Vries")

    await anna.press(question, "lang:en")
    assert standin.callback_answers[-1]["text"] == REFUSAL_NL
    assert standin.callback_answers[-1]["show_alert"] is True
    await anna.expect_nothing_more()
    async with sessionmaker() as session:
        coach = await session.scalar(select(Coach).where(Coach.name == "Anna de Vries"))
        assert coach.language == "nl"


async def _deactivate(sessionmaker, name: str) -> None:
    async with sessionmaker() as session:
        coach = await session.scalar(select(Coach).where(Coach.name == name))
        coach.active = False
        await session.commit()


async def test_deactivated_member_is_a_stranger(member, sessionmaker):
    anna = await member("Anna de Vries")
    await _deactivate(sessionmaker, "Anna de Vries")
    assert await anna.ask("/help") == REFUSAL_NL


async def test_group_chat(standin, stranger, member):
    group = standin.add_group(TEAM_GROUP, "Team Gezinscoaches")["id"]
    anna = await member("Anna de Vries")

    await anna.say("Goedemorgen allemaal", chat_id=group)
    await anna.expect_nothing_more(group)

    await anna.say("/language", chat_id=group)
    refusal = await anna.reply(group)
    assert refusal["text"].startswith("Dat commando werkt alleen in een privéchat met mij")

    await anna.say("/help@achtervang_test_bot", chat_id=group)
    assert (await anna.reply(group))["text"].startswith("Wat je kunt doen:")

    await anna.say("/help@some_other_bot", chat_id=group)
    await anna.expect_nothing_more(group)

    # Strangers in the team's group get no answer there at all.
    await stranger.say("/help", chat_id=group)
    await stranger.expect_nothing_more(group)
    assert group not in standin.left_chats


async def test_bot_leaves_a_group_that_is_not_the_teams(standin, stranger, member, sessionmaker):
    other = standin.add_group(-100999, "Buurtapp")["id"]
    anna = await member("Anna de Vries")
    await stranger.say("/help@achtervang_test_bot", chat_id=other)
    assert other in standin.left_chats
    await anna.say("/now", chat_id=other)
    assert standin.bot_messages(other) == []
    async with sessionmaker() as session:
        left = await session.scalar(
            select(AuditEvent.subject).where(AuditEvent.action == "chat.left")
        )
    assert left == str(other)


async def test_unknown_command_and_free_text(member):
    anna = await member("Anna de Vries")
    assert await anna.ask("/bestaatniet") == (
        "Dat commando ken ik niet. /help laat zien wat je kunt doen."
    )
    assert await anna.ask("hoi") == "Dat begreep ik niet. /help laat zien wat je kunt doen."


async def test_refused_commands_are_on_record(standin, member, sessionmaker):
    """The privacy officer sees attempts too: a partner asking for a case card, a coach asking
    for one in a group."""
    from sqlalchemy import select

    from bot.models import AuditEvent, Role

    group = standin.add_group(TEAM_GROUP, "Team Gezinscoaches")["id"]
    partner = await member("Wijkteam Noord", role=Role.PARTNER)
    anna = await member("Anna de Vries")
    assert (await partner.ask("/case GZ-1042")).startswith("Dat commando is niet beschikbaar")
    await anna.say("/case GZ-1042", chat_id=group)
    assert "GZ-1042" not in (await anna.reply(group))["text"]
    async with sessionmaker() as session:
        refused = (
            await session.execute(
                select(AuditEvent.subject, AuditEvent.outcome).where(
                    AuditEvent.action == "command.refused"
                )
            )
        ).all()
    assert refused == [("case", "role"), ("case", "group_chat")]


async def test_an_invite_code_posted_in_the_team_group_stops_working(
    standin, stranger, member, sessionmaker, config, clock
):
    from bot.services.team.coaches import add_coach
    from bot.services.team.enrolment import create_invite

    group = standin.add_group(TEAM_GROUP, "Team Gezinscoaches")["id"]
    await member("Anna de Vries")
    async with sessionmaker() as session:
        bram = await add_coach(
            session, name="Bram Jansen", role=Role.COACH, config=config, now=clock.now()
        )
        code, _ = await create_invite(session, bram, now=clock.now(), rules=config.enrolment)
        await session.commit()

    spaced = " ".join(code[i : i + 4] for i in range(0, len(code), 4))
    await stranger.say(f"/start@achtervang_test_bot {spaced}", chat_id=group)
    assert "werkt daarom niet meer" in (await stranger.reply(group))["text"]
    assert await stranger.ask(f"/start {code}") == (
        "Die uitnodigingscode is niet geldig. Controleer hem, of vraag je teamleider om een nieuwe."
    )
    async with sessionmaker() as session:
        cancelled = await session.scalar(
            select(AuditEvent.subject).where(AuditEvent.action == "invite.cancel")
        )
    assert cancelled == "Bram Jansen"


async def test_refused_button_presses_are_on_record(standin, member, sessionmaker):
    partner = await member("Wijkteam Noord", role=Role.PARTNER)
    shown = standin.bot_messages(partner.user_id)[-1]
    for data in ("case:1", "wl:yes:1", "cassign:ok:1:1:0"):
        standin.inject_update(
            "callback_query",
            {
                "id": data,
                "from": {"id": partner.user_id, "is_bot": False, "first_name": "W"},
                "message": shown,
                "chat_instance": "1",
                "data": data,
            },
        )
        await settle(standin, partner.app)
    async with sessionmaker() as session:
        refused = (
            await session.execute(
                select(AuditEvent.subject, AuditEvent.outcome).where(
                    AuditEvent.action == "button.refused"
                )
            )
        ).all()
    assert refused == [("case", "role"), ("waitlist", "role"), ("assign", "role")]
    assert all(a["show_alert"] for a in standin.callback_answers[-3:])
