"""Strangers learn nothing; group chats never get private-only answers."""

from sqlalchemy import select

from bot.models import Coach
from tests.e2e.harness import Person

REFUSAL_NL = (
    "Deze bot is alleen voor leden van het team Gezinscoaches. Heb je een uitnodigingscode? "
    "Stuur dan in een privéchat /start gevolgd door de code."
)


async def test_stranger_gets_one_short_refusal_for_anything(stranger):
    for text in ("/help", "hallo", "/language", "/case ALM-0417", "/onzin"):
        assert await stranger.ask(text) == REFUSAL_NL
        await stranger.expect_nothing_more()


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
    group = standin.add_group(-100777, "Team Gezinscoaches")["id"]
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

    await stranger.say("/help", chat_id=group)
    assert (await stranger.reply(group))["text"] == REFUSAL_NL


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

    group = standin.add_group(-100778, "Team Gezinscoaches")["id"]
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
