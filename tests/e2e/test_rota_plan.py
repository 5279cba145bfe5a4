"""/rota plan through the Bot API stand-in: a 13-week roster is proposed, approved with the
button, and is then what /roster, /calendar, the live calendar feed and /rosterreport show
(overrides still on top)."""

from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient, TestServer
from icalendar import Calendar
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import FEED_CALENDAR, Coach, PlanStatus, Role, RosterPlan, RosterPlanShift
from bot.operations.health import HealthCheck
from bot.operations.http import build_app
from bot.services.rosters import feed_tokens
from tests.e2e.harness import buttons, tick_at
from tests.e2e.team_setup import week_duties

PEOPLE = ("Anna de Vries", "Bram Jansen", "Cem Yilmaz", "Dirk Smit", "Eva Mulder")


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": week_duties(
                rest_rules=[{"after": "piket", "before": "bureaudienst", "min_rest_hours": 11}]
            )
        }
    )


@pytest.fixture
async def http(runtime, bot_app):
    check = HealthCheck(runtime.sessionmaker, runtime.clock, 30.0)
    async with TestClient(TestServer(build_app(check, runtime))) as client:
        yield client


async def planned(sessionmaker) -> list[tuple[str, str | None, datetime, datetime]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(RosterPlanShift.duty, Coach.name, RosterPlanShift.start, RosterPlanShift.end)
            .outerjoin(Coach, Coach.id == RosterPlanShift.coach_id)
            .order_by(RosterPlanShift.start, RosterPlanShift.duty)
        )
        return [tuple(r) for r in rows]


async def approve(lead, request: str) -> None:
    """Asks for `/rota plan <request>` and approves it: the proposal, its buttons taken off,
    the approval."""
    await lead.say(f"/rota plan {request}")
    proposal = await lead.reply()
    await lead.press(proposal, buttons(proposal)["Approve"])
    await lead.reply()
    await lead.reply()


def day_of(roster_text: str, heading: str) -> str:
    return next(part for part in roster_text.split("\n\n") if part.startswith(heading))


async def test_a_13_week_plan_is_approved_and_becomes_the_roster(
    member, sessionmaker, standin, clock, http
):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD, language="en")
    people = {name.split()[0]: await member(name) for name in PEOPLE}
    before = await sara.ask("/roster 49")
    assert "  Bureaudienst 08:30–17:00: Dirk Smit" in day_of(before, "Tuesday 1 December")

    await sara.say("/rota plan 30-11 13w")
    proposal = await sara.reply()
    lines = proposal["text"].splitlines()
    assert lines[0] == (
        "Proposed roster Mon 30 Nov 2026 – Sun 28 Feb 2027. Nothing changes until you approve it."
    )
    assert any(line.startswith("- Eva Mulder, 1 fte: ") for line in lines)
    assert "No gaps: every shift has a coach." in lines
    assert set(buttons(proposal)) == {"Approve", "Discard"}
    # Proposed only: the roster is still the rotation's.
    assert await sara.ask("/roster 49") == before
    shifts = await planned(sessionmaker)
    assert shifts[0][2] == datetime(2026, 11, 30, 7, 30, tzinfo=UTC)
    assert shifts[-1][3] == datetime(2027, 3, 1, 16, 0, tzinfo=UTC)

    await sara.press(proposal, buttons(proposal)["Approve"])
    assert not buttons(await sara.reply())  # buttons taken off
    assert (await sara.reply())[
        "text"
    ] == "Approved: this plan is the roster now. /roster shows it."
    async with sessionmaker() as session:
        plan = await session.scalar(select(RosterPlan))
    assert plan.status is PlanStatus.APPROVED

    week = await sara.ask("/roster 49")
    tuesday = day_of(week, "Tuesday 1 December")
    office = next(s for s in shifts if s[0] == "bureaudienst" and s[2].day == 1)
    night = next(s for s in shifts if s[0] == "piket" and s[2].day == 1 and s[2].month == 12)
    assert tuesday == (
        "Tuesday 1 December\n"
        f"  Bureaudienst 08:30–17:00: {office[1]}\n"
        f"  On call (piket) 17:00–08:30: {night[1]}"
    )
    # Every bureaudienst in the week as planned, not as the rotation had it (Dirk all week).
    office_week = [s[1] for s in shifts if s[0] == "bureaudienst"][:5]
    assert len(set(office_week)) > 1
    for holder in office_week:
        assert f"Bureaudienst 08:30–17:00: {holder}" in week

    # The calendar file of the coach with the first planned night has it.
    first_night = next(s for s in shifts if s[0] == "piket")
    coach = people[first_night[1].split()[0]]
    await coach.say("/calendar")
    await coach.reply()
    (document,) = standin.documents(coach.user_id)
    events = Calendar.from_ical(document["content"]).events
    assert first_night[2] in [e.start.astimezone(UTC) for e in events]
    # And in the coach's live calendar feed.
    async with sessionmaker() as session:
        holder = await session.scalar(select(Coach).where(Coach.name == first_night[1]))
        token = await feed_tokens.issue(
            session, kind=FEED_CALENDAR, now=clock.now(), consumer=None, coach_id=holder.id
        )
        await session.commit()
    response = await http.get(f"/feed/calendar/{token}.ics")
    assert response.status == 200
    feed = Calendar.from_ical(await response.read())
    assert first_night[2] in [e.start.astimezone(UTC) for e in feed.events]

    # Overrides still work on top of the plan.
    assert (await sara.ask("/override bureaudienst 01-12 Anna")).startswith("Done:")
    assert "  Bureaudienst 08:30–17:00: Anna de Vries" in day_of(
        await sara.ask("/roster 49"), "Tuesday 1 December"
    )
    report = await sara.ask("/rosterreport")
    assert "Roster in force against the approved plan Mon 30 Nov – Sun 28 Feb 2027" in report


async def test_a_proposal_whose_first_day_has_passed_cannot_be_approved(
    member, clock, standin, sessionmaker
):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD, language="en")
    for name in PEOPLE:
        await member(name)
    await sara.say("/rota plan 24-11 1w")
    proposal = await sara.reply()
    clock.set(datetime(2026, 11, 25, 9, tzinfo=UTC))
    await sara.press(proposal, buttons(proposal)["Approve"])
    assert standin.callback_answers[-1]["text"].startswith("This proposal's first day has passed")


async def test_a_discarded_plan_changes_nothing_and_bad_requests_are_explained(member):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD, language="en")
    for name in PEOPLE:
        await member(name)
    before = await sara.ask("/roster 49")
    await sara.say("/rota plan 30-11 2w")
    proposal = await sara.reply()
    await sara.press(proposal, buttons(proposal)["Discard"])
    await sara.reply()
    assert (await sara.reply())["text"] == "Discarded; the roster stays as it was."
    assert await sara.ask("/roster 49") == before
    assert (await sara.ask("/rota plan 01-01-2020 13w")).startswith("Use: /rota plan")
    assert (await sara.ask("/rota plan 30-11 40w")).startswith("Use: /rota plan")


async def test_each_coach_with_shifts_in_an_approved_plan_is_told_which(
    member, sessionmaker, clock, bot_app
):
    sara = await member("Sara Bakker", role=Role.TEAMLEAD, language="en")
    people = {name.split()[0]: await member(name) for name in PEOPLE[:-1]}
    people["Eva"] = await member("Eva Mulder", language="en")
    await approve(sara, "30-11 2w")
    shifts = await planned(sessionmaker)
    await tick_at(bot_app, clock, clock.now())

    # The first planned shift: Monday's bureaudienst, in its holder's message.
    first = shifts[0]
    assert (first[0], first[2]) == ("bureaudienst", datetime(2026, 11, 30, 7, 30, tzinfo=UTC))
    for first_name, person in people.items():
        theirs = [s for s in shifts if s[1] == person.name]
        told = (await person.reply())["text"].splitlines()
        english = first_name == "Eva"
        if english:
            assert told[0] == (
                "The team lead approved the roster Mon 30 Nov 2026 – Sun 13 Dec 2026. "
                "Your shifts in it, as they stand now:"
            )
            assert told[-1] == (
                "Swaps, overrides and absences can still change them; /myshifts shows them."
            )
        else:
            assert told[0] == (
                "De teamleider heeft het rooster ma 30 nov 2026 – zo 13 dec 2026 vastgesteld. "
                "Jouw diensten daarin, zoals ze nu staan:"
            )
        bullets = [line for line in told if line.startswith("• ")]
        assert len(bullets) == len(theirs), first_name
        if person.name == first[1]:
            office = "Bureaudienst"
            day = "Mon 30 Nov" if english else "ma 30 nov"
            assert bullets[0] == f"• {day} 08:30–17:00: {office}"
        await person.expect_nothing_more()
    # Told once: the next tick sends nothing more; the lead, without shifts, nothing at all.
    await tick_at(bot_app, clock, clock.now())
    for person in [*people.values(), sara]:
        await person.expect_nothing_more()


async def test_the_approval_message_keeps_true_times_across_the_clock_change(
    member, sessionmaker, clock, bot_app
):
    # Summer time starts in the night of Saturday 27 to Sunday 28 March 2027, at 02:00.
    sara = await member("Sara Bakker", role=Role.TEAMLEAD, language="en")
    people = {name: await member(name) for name in PEOPLE}
    await approve(sara, "22-03-2027 1w")
    shifts = await planned(sessionmaker)
    night = next(s for s in shifts if s[0] == "piket" and s[2].day == 27)
    # Weekend piket, Saturday 17:00 winter time to Sunday 17:00 summer time: 23 hours.
    assert (night[2], night[3]) == (
        datetime(2027, 3, 27, 16, 0, tzinfo=UTC),
        datetime(2027, 3, 28, 15, 0, tzinfo=UTC),
    )
    await tick_at(bot_app, clock, clock.now())
    told = (await people[night[1]].reply())["text"].splitlines()
    assert "• za 27 mrt 17:00 – zo 28 mrt 17:00: Piket" in told
