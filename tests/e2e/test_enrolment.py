"""A new coach links their Telegram account with the invite code the team lead gave them."""

from datetime import timedelta

from bot.models import Role
from bot.services.team.coaches import add_coach, find_enrolled
from bot.services.team.enrolment import create_invite
from tests.e2e.harness import Person


async def _invite(sessionmaker, config, clock, name="Bram Jansen", role=Role.COACH) -> str:
    async with sessionmaker() as session:
        coach = await add_coach(session, name=name, role=role, config=config, now=clock.now())
        code, _ = await create_invite(session, coach, now=clock.now(), rules=config.enrolment)
        await session.commit()
    return code


async def test_deep_link_enrols_in_dutch_and_sets_the_members_menu(
    standin, bot_app, sessionmaker, config, clock
):
    code = await _invite(sessionmaker, config, clock)
    standin.add_user(4242, "Bram", language_code="nl")
    bram = Person(standin, bot_app, 4242, "Bram")

    text = await bram.ask(f"/start {code}")
    assert "Welkom, Bram Jansen!" in text
    assert "gezinscoach" in text
    assert "/help — Laat zien wat je hier kunt doen" in text
    async with sessionmaker() as session:
        assert (await find_enrolled(session, 4242)).name == "Bram Jansen"
    menu = standin.commands(scope={"type": "chat", "chat_id": 4242})
    assert [c["command"] for c in menu] == [
        "start",
        "help",
        "language",
        "crisis",
        "resolve",
        "alerts",
        "cancel",
        "profile",
        "case",
        "contact",
        "mycases",
        "absent",
        "back",
        "caseload",
        "covers",
        "now",
        "roster",
        "myshifts",
        "swap",
        "calendar",
        "visit",
        "back_safe",
        "sos",
        "visits",
        "waitlist",
    ]
    assert menu[2]["description"] == "Kies Nederlands of Engels"

    # The code is spent: someone else cannot use it.
    standin.add_user(4343, "Eve")
    eve = Person(standin, bot_app, 4343, "Eve")
    assert "niet geldig" in await eve.ask(f"/start {code}")


async def test_english_telegram_gets_an_english_welcome(
    standin, bot_app, sessionmaker, config, clock
):
    code = await _invite(sessionmaker, config, clock, name="Sara Bakker", role=Role.TEAMLEAD)
    standin.add_user(4444, "Sara", language_code="en")
    sara = Person(standin, bot_app, 4444, "Sara")
    text = await sara.ask(f"/start {code}")
    assert "Welcome, Sara Bakker! Your account is linked; you use Achtervang as team lead." in text
    assert "/language — Choose Dutch or English" in text


async def test_wrong_codes_then_lockout_then_right_code_refused(
    standin, bot_app, sessionmaker, config, clock
):
    code = await _invite(sessionmaker, config, clock)
    standin.add_user(4545, "Mallory")
    mallory = Person(standin, bot_app, 4545, "Mallory")
    for attempt in range(4):
        assert "niet geldig" in await mallory.ask(f"/start GUESS{attempt}"), attempt
    locked = await mallory.ask("/start GUESS5")
    # 09:00 local now; the lock lasts an hour.
    assert locked == "Te veel verkeerde codes. Je kunt het na 10:00 opnieuw proberen."
    assert "Te veel verkeerde codes" in await mallory.ask(f"/start {code}")
    async with sessionmaker() as session:
        assert await find_enrolled(session, 4545) is None

    clock.advance(timedelta(hours=1, minutes=1))
    assert "Welkom" in await mallory.ask(f"/start {code}")


async def test_expired_code(standin, bot_app, sessionmaker, config, clock):
    code = await _invite(sessionmaker, config, clock)
    clock.advance(timedelta(days=8))
    standin.add_user(4646, "Late")
    late = Person(standin, bot_app, 4646, "Late")
    assert await late.ask(f"/start {code}") == (
        "Deze uitnodigingscode is verlopen. Vraag je teamleider om een nieuwe."
    )


async def test_start_without_code(stranger, member):
    assert "uitnodigingscode van je teamleider" in await stranger.ask("/start")
    anna = await member("Anna de Vries")
    text = await anna.ask("/start")
    assert text.startswith("Je bent aangemeld als Anna de Vries.")


async def test_public_menu_registered_in_dutch_and_english(standin, bot_app):
    assert [c["description"] for c in standin.commands(language_code="en")] == [
        "Link your Telegram account with an invite code",
        "Show what you can do here",
        "Choose Dutch or English",
    ]
    assert standin.commands(language_code="nl") == standin.commands()
    assert standin.commands()[1]["description"] == "Laat zien wat je hier kunt doen"
