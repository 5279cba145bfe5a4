"""An acute family imported from the team's waitlist file raises the crisis alert, as one
entered with /waitlist_add does: once, to the coach on duty, in the same words."""

import pytest
from sqlalchemy import func, select

from bot.config.team import TeamConfig
from bot.models import Alert
from bot.models.waitlist import WaitlistEntry
from bot.models.waitlist_terms import EntryStatus
from bot.scheduling.jobs import run_alert_tick
from bot.services.waitlist.csv_import import import_waitlist
from tests.e2e.team_setup import crisis_config, crisis_team

WAITLIST = (
    "code;referral_date;referrer;complexity;cost_band;concern;contact;accepted\n"
    "ALM-0601;2026-10-06;Wijkteam Noord;3;2;concern;Anna de Vries;ja\n"
    "ALM-0603;2026-11-20;Veilig Thuis;5;4;acute;;nee\n"
)


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker):
    return await crisis_team(member, sessionmaker)


async def run_import(sessionmaker, config, clock, text: str) -> None:
    """What `achtervang import waitlist` does, on the bot's clock."""
    async with sessionmaker() as session:
        report = await import_waitlist(session, text, config=config, now=clock.now())
        assert report.ok, report.problems
        await session.commit()


async def test_an_imported_acute_family_raises_one_alert(
    team, sessionmaker, config, clock, bot_app
):
    eva = team["Eva"]
    await run_import(sessionmaker, config, clock, WAITLIST)
    await run_alert_tick(bot_app)  # the running bot sends what the import stored
    alert = await eva.reply()  # bureaudienst: the coach on duty in office hours
    assert alert["text"] == (
        "🚨 CRISISMELDING ALM-0603\n"
        "Nieuwe aanmelding met acute onveiligheid: direct intake.\n"
        "Gemeld door Sara Bakker op ma 23 nov 09:00.\n\n"
        "Deze code staat niet in de bot (een nieuw gezin?)."
    )
    assert {"Ik pak het op", "Kan niet"} <= {
        b["text"] for row in alert["reply_markup"]["inline_keyboard"] for b in row
    }

    # Importing the same file again raises nothing new.
    await run_import(sessionmaker, config, clock, WAITLIST)
    await run_alert_tick(bot_app)
    for name in ("Anna", "Bram", "Eva", "Fleur", "Sara"):
        await team[name].expect_nothing_more()
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Alert)) == 1
        entry = await session.scalar(select(WaitlistEntry).where(WaitlistEntry.code == "ALM-0603"))
    # Acute never waits for the acceptance decision, whatever the file says.
    assert entry.status == EntryStatus.WAITING


async def test_a_family_that_becomes_acute_in_a_later_import_raises_it_then(
    team, sessionmaker, config, clock, bot_app
):
    eva = team["Eva"]
    await run_import(sessionmaker, config, clock, WAITLIST.replace("acute", "concern"))
    await run_alert_tick(bot_app)
    await eva.expect_nothing_more()
    await run_import(sessionmaker, config, clock, WAITLIST)
    await run_alert_tick(bot_app)
    assert (await eva.reply())["text"].startswith("🚨 CRISISMELDING ALM-0603\n")
