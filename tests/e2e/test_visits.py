"""Safe home visits through the Bot API stand-in: check-in, check-out, the reminder, the last
call and the safety alert through the crisis engine, SOS, extending, live location, /visits.

The clock is Monday 23 November 2026, 09:00 in Amsterdam: Eva Mulder holds bureaudienst, so
a safety alert goes to her first, then (the chain) Fleur Visser as second line, then the
team lead Sara Bakker. The scheduler's tick is run by hand after moving the clock."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.config.team import TeamConfig
from bot.models import Coach, Role, Visit, VisitLocation
from tests.e2e.harness import buttons, settle, tick_at
from tests.e2e.team_setup import add_family, crisis_config

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam


TEAM_GROUP = -100500


@pytest.fixture
def config() -> TeamConfig:
    # The bot answers in the team's own group only (it leaves any other).
    return crisis_config().model_copy(update={"team_chat_id": TEAM_GROUP})


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker):
    people = {}
    for name, role, language in [
        ("Anna de Vries", Role.COACH, "en"),
        ("Bram Jansen", Role.COACH, "en"),
        ("Eva Mulder", Role.COACH, "nl"),
        ("Fleur Visser", Role.COACH, "en"),
        ("Sara Bakker", Role.TEAMLEAD, "en"),
    ]:
        people[name.split()[0]] = await member(name, role=role, language=language)
    await add_family(sessionmaker, "GZ-1042", "Anna de Vries", backup="Bram Jansen")
    async with sessionmaker() as session:
        await session.execute(
            update(Coach).where(Coach.name == "Anna de Vries").values(phone="+31612345678")
        )
        await session.commit()
    return people


async def locations(sessionmaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(VisitLocation))


async def nobody_hears(team) -> None:
    for person in team.values():
        await person.expect_nothing_more()


async def test_checking_out_before_the_end_sends_nothing_and_deletes_the_location(
    team, bot_app, standin, clock, sessionmaker
):
    anna = team["Anna"]
    await anna.say("/visit GZ-1042 until 10:30 aggression expected")
    confirmation = await anna.reply()
    assert confirmation["text"].startswith(
        "Home visit (GZ-1042) noted until 10:30.\nNote: aggression expected\n"
        "I remind you 5 minutes before. Not checked out 10 minutes after the end? "
        "Then I ask once more and alert the colleague on duty."
    )
    assert "live location" in confirmation["text"]
    assert set(buttons(confirmation)) == {"✅ Safely back", "⏱ Extend 30 min", "🆘 SOS"}

    await standin.share_location(anna.user_id, 52.35, 6.66, live_period=3600)
    await settle(standin, bot_app)
    assert (await anna.reply())["text"] == (
        "Location received for your home visit. It is deleted when you are back."
    )
    assert await locations(sessionmaker) == 1

    await tick_at(bot_app, clock, START + timedelta(minutes=60))
    await anna.press(confirmation, buttons(confirmation)["✅ Safely back"])
    back = await anna.reply()  # the buttons go
    assert not buttons(back)
    assert (await anna.reply())["text"] == (
        "Welcome back. Your home visit is closed and your location deleted."
    )
    assert await locations(sessionmaker) == 0

    for minutes in (85, 100, 105, 200):
        await tick_at(bot_app, clock, START + timedelta(minutes=minutes))
    await nobody_hears(team)


async def test_no_check_out_reminds_asks_again_then_alerts_the_coach_on_duty_and_escalates(
    team, bot_app, standin, clock, sessionmaker
):
    anna, eva, fleur, sara = team["Anna"], team["Eva"], team["Fleur"], team["Sara"]
    await anna.say("/visit GZ-1042 90m aggression expected")
    await anna.reply()
    shared = await standin.share_location(anna.user_id, 52.35, 6.66, live_period=7200)
    await settle(standin, bot_app)
    await anna.reply()

    await tick_at(bot_app, clock, START + timedelta(minutes=84, seconds=59))
    await nobody_hears(team)
    await tick_at(bot_app, clock, START + timedelta(minutes=85))
    reminder = await anna.reply()
    assert reminder["text"] == (
        "Your home visit (GZ-1042) ends at 10:30. Back safely? Press Safely back, or extend."
    )
    assert "✅ Safely back" in buttons(reminder)

    await tick_at(bot_app, clock, START + timedelta(minutes=99))
    await nobody_hears(team)
    await tick_at(bot_app, clock, START + timedelta(minutes=100))
    assert (await anna.reply())["text"] == (
        "You have not checked out of your home visit (GZ-1042) (until 10:30). Are you safe? "
        "Press Safely back now, or the colleague on duty is alerted at 10:45."
    )
    # The live location moves (an edited message): the alert shows where she was last.
    await standin.move_live_location(anna.user_id, shared["message_id"], 52.36123, 6.67456)
    await settle(standin, bot_app)
    await anna.expect_nothing_more()

    await tick_at(bot_app, clock, START + timedelta(minutes=105))
    alert = await eva.reply()
    assert alert["text"] == (
        "🆘 VEILIGHEIDSMELDING: Anna de Vries\n"
        "Anna de Vries heeft zich niet afgemeld van een huisbezoek dat om 10:30 klaar zou zijn.\n"
        "Gezin: GZ-1042\n"
        "Op huisbezoek sinds 09:00.\n"
        "Notitie: aggression expected\n"
        "Laatst bekende locatie (10:40): https://www.openstreetmap.org/?mlat=52.36123"
        "&mlon=6.67456#map=17/52.36123/6.67456\n"
        "Telefoon: +31612345678\n\n"
        "Bel nu. Geen antwoord en gevaar? Bel 112."
    )
    assert set(buttons(alert)) == {"Ik pak het op", "Kan niet"}
    assert (await anna.reply())["text"] == (
        "No check-out: a safety alert went to the colleague on duty. If you are safe, press "
        "Safely back."
    )
    await fleur.expect_nothing_more()

    # Eva does not answer: the chain goes on (no second line in office hours: the lead).
    await tick_at(bot_app, clock, START + timedelta(minutes=106, seconds=1))
    second = await sara.reply()
    assert second["text"].startswith("🆘 SAFETY ALERT: Anna de Vries\n")
    assert "Phone: +31612345678" in second["text"]
    await sara.press(second, buttons(second)["I'll take it"])
    assert (await sara.reply())["text"].endswith("✅ Taken by Sara Bakker at Mon 23 Nov 10:46.")
    assert (await anna.reply())["text"] == (
        "Sara Bakker has taken your safety alert and is on it: they will call you."
    )
    await eva.reply()  # her message says who took it

    await anna.say("/back_safe")
    assert (await anna.reply())["text"] == (
        "Welcome back. Your home visit is closed and your location deleted.\n"
        "The colleagues who were alerted are told you are safe."
    )
    closed = (await eva.reply())["text"]
    assert closed.endswith("\n\n✅ Anna de Vries is veilig terug (10:46).")
    assert "openstreetmap" not in closed  # where she was is gone once she is back
    assert (await sara.reply())["text"].endswith("\n\n✅ Anna de Vries is safely back (10:46).")
    await fleur.expect_nothing_more()
    assert await locations(sessionmaker) == 0
    await tick_at(bot_app, clock, START + timedelta(hours=3))
    await nobody_hears(team)


async def test_sos_alerts_at_once_and_only_once(team, bot_app, clock):
    anna, eva = team["Anna"], team["Eva"]
    assert (await anna.ask("/sos")).startswith("🆘 Safety alert sent to the colleague on duty")
    alert = await eva.reply()
    assert alert["text"].startswith(
        "🆘 VEILIGHEIDSMELDING: Anna de Vries\nAnna de Vries heeft op huisbezoek SOS gegeven.\n"
    )
    assert (await anna.ask("/sos")) == (
        "Your safety alert is already on its way. Call 112 if you are in danger."
    )
    await eva.expect_nothing_more()


async def test_the_sos_button_on_the_visit_message(team, bot_app):
    anna, eva = team["Anna"], team["Eva"]
    await anna.say("/visit 60m")
    confirmation = await anna.reply()
    await anna.press(confirmation, buttons(confirmation)["🆘 SOS"])
    assert "SOS" in (await eva.reply())["text"]


async def test_extending_moves_the_deadline(team, bot_app, clock):
    anna = team["Anna"]
    await anna.say("/visit 30m")
    confirmation = await anna.reply()
    assert confirmation["text"].startswith("Home visit noted until 09:30.")
    await anna.press(confirmation, buttons(confirmation)["⏱ Extend 30 min"])
    assert (await anna.reply())["text"].startswith("Home visit noted until 10:00.")
    await tick_at(bot_app, clock, START + timedelta(minutes=25))
    await tick_at(bot_app, clock, START + timedelta(minutes=45))
    await anna.expect_nothing_more()
    await tick_at(bot_app, clock, START + timedelta(minutes=55))
    assert (await anna.reply())["text"].startswith("Your home visit ends at 10:00.")


async def test_without_a_time_the_coach_picks_a_length(team, bot_app):
    anna = team["Anna"]
    await anna.say("/visit GZ-1042")
    question = await anna.reply()
    assert question["text"] == "How long will the home visit (GZ-1042) take?"
    await anna.press(question, buttons(question)["90 min"])
    assert (await anna.reply())["text"].startswith("Home visit (GZ-1042) noted until 10:30.")


async def test_only_a_code_the_coach_may_see(team, bot_app, sessionmaker):
    refused = (
        "That is not a family you may name here. Use the code of one of your families, or "
        "leave it out. Nothing was started."
    )
    assert await team["Fleur"].ask("/visit GZ-1042 60m") == refused
    assert await team["Fleur"].ask("/visit GZ-9999 60m") == refused
    assert (await team["Bram"].ask("/visit GZ-1042 60m")).startswith("Home visit (GZ-1042)")
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Visit)) == 1


async def test_overview_for_the_lead_and_the_duty_coach_overdue_first(team, bot_app, clock):
    await team["Anna"].say("/visit GZ-1042 90m")
    await team["Anna"].reply()
    await team["Fleur"].say("/visit 20m")
    await team["Fleur"].reply()
    clock.set(START + timedelta(minutes=25))
    assert await team["Sara"].ask("/visits") == (
        "Running home visits:\n⚠️ Fleur Visser until 09:20 — overdue\n"
        "Anna de Vries (GZ-1042) until 10:30"
    )
    assert (await team["Eva"].ask("/visits")).startswith("Lopende huisbezoeken:")
    assert await team["Bram"].ask("/visits") == (
        "Only team leads and the coach on duty see the running home visits."
    )


async def test_visit_commands_never_answer_in_a_group(team, bot_app, standin):
    standin.add_group(TEAM_GROUP, "Team")
    await team["Sara"].say("/visits", chat_id=TEAM_GROUP)
    text = (await team["Sara"].reply(chat_id=TEAM_GROUP))["text"]
    assert "Anna" not in text and "only works in a private chat" in text


async def test_a_night_visit_across_the_clock_change(team, bot_app, clock):
    # Sunday 25 October 2026, 01:30 summer time; at 03:00 the clocks go back to 02:00.
    clock.set(datetime(2026, 10, 24, 23, 30, tzinfo=UTC))
    anna = team["Anna"]
    await anna.say("/visit until 03:30")
    assert (await anna.reply())["text"].startswith("Home visit noted until 03:30.")
    # 03:30 winter time is three real hours away (02:30 UTC), not two.
    await tick_at(bot_app, clock, datetime(2026, 10, 25, 1, 25, tzinfo=UTC))
    await anna.expect_nothing_more()
    await tick_at(bot_app, clock, datetime(2026, 10, 25, 2, 25, tzinfo=UTC))
    assert (await anna.reply())["text"] == (
        "Your home visit ends at 03:30. Back safely? Press Safely back, or extend."
    )


async def test_the_taker_resolving_ends_the_visit_and_deletes_the_location(
    team, bot_app, standin, clock, sessionmaker
):
    anna, eva = team["Anna"], team["Eva"]
    await anna.say("/visit 30m")
    await anna.reply()
    await standin.share_location(anna.user_id, 52.35, 6.66)
    await settle(standin, bot_app)
    await anna.reply()
    await anna.say("/sos")
    await anna.reply()
    alert = await eva.reply()
    await eva.press(alert, buttons(alert)["Ik pak het op"])
    await eva.reply()
    await anna.reply()  # someone is on it
    # A new visit cannot hide the one colleagues are coming for.
    assert await anna.ask("/visit 60m") == (
        "A safety alert is running for this visit. If you are safe, press Safely back."
    )

    await eva.say("/resolve")
    question = await eva.reply()
    await eva.press(question, buttons(question)["Huisbezoek"])
    await eva.reply()
    await eva.say("Anna was veilig, telefoon leeg")
    await eva.reply()
    await tick_at(bot_app, clock, START + timedelta(seconds=5))
    assert await locations(sessionmaker) == 0
    assert await anna.ask("/back_safe") == "You have no home visit running."
    async with sessionmaker() as session:
        visit = await session.scalar(select(Visit))
        assert (visit.status, visit.ended_how) == ("ended", "resolved")


async def test_visits_are_audited_without_locations(team, bot_app, standin, sessionmaker):
    from bot.models import AuditEvent

    anna = team["Anna"]
    await anna.say("/visit GZ-1042 30m")
    await anna.reply()
    await standin.share_location(anna.user_id, 52.35123, 6.66456)
    await settle(standin, bot_app)
    await anna.reply()
    await anna.say("/back_safe")
    await anna.reply()
    async with sessionmaker() as session:
        # By id: PostgreSQL hands rows back in no set order without one (a row can land in
        # space an earlier test's rows left free).
        events = list(await session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    actions = [e.action for e in events if e.action.startswith("visit.")]
    assert actions == ["visit.start", "visit.safe"]
    assert not any("52.35" in f"{e.detail} {e.subject}" for e in events)


async def test_a_location_outside_a_visit_is_not_kept(team, bot_app, standin, sessionmaker):
    anna = team["Anna"]
    await standin.share_location(anna.user_id, 52.35, 6.66)
    await settle(standin, bot_app)
    assert (await anna.reply())["text"] == (
        "You have no home visit running, so I did not keep your location."
    )
    assert await locations(sessionmaker) == 0


async def test_a_visit_shorter_than_the_reminder_gets_the_last_call_only(team, bot_app, clock):
    anna = team["Anna"]
    await anna.say("/visit 3m")
    await anna.reply()
    await tick_at(bot_app, clock, START + timedelta(minutes=12, seconds=59))
    await anna.expect_nothing_more()
    await tick_at(bot_app, clock, START + timedelta(minutes=13))
    assert (await anna.reply())["text"].startswith("You have not checked out")


async def test_a_moving_live_location_redraws_the_running_safety_alert(
    team, bot_app, standin, clock
):
    anna, eva = team["Anna"], team["Eva"]
    await anna.say("/visit 30m")
    await anna.reply()
    shared = await standin.share_location(anna.user_id, 52.35, 6.66, live_period=3600)
    await settle(standin, bot_app)
    await anna.reply()
    await anna.say("/sos")
    await anna.reply()
    alert = await eva.reply()
    assert "mlat=52.35000&mlon=6.66000" in alert["text"]

    clock.advance(timedelta(minutes=1))
    await standin.move_live_location(anna.user_id, shared["message_id"], 52.37, 6.70)
    await settle(standin, bot_app)
    moved = await eva.reply()
    assert moved["message_id"] == alert["message_id"]
    assert "Laatst bekende locatie (09:01): " in moved["text"]
    assert "mlat=52.37000&mlon=6.70000" in moved["text"]
    assert set(buttons(moved)) == {"Ik pak het op", "Kan niet"}  # still to be taken
    # Seconds later: stored, but the messages are not redrawn more than once a minute.
    clock.advance(timedelta(seconds=10))
    await standin.move_live_location(anna.user_id, shared["message_id"], 52.38, 6.71)
    await settle(standin, bot_app)
    await eva.expect_nothing_more()
    await anna.expect_nothing_more()
