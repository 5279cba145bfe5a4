"""/rosterreport: the team lead sees duty hours, gaps and conflicts in Dutch; coaches cannot."""

from datetime import UTC, date, datetime

import pytest

from bot.config.team import TeamConfig
from bot.i18n import translator
from bot.models import AbsenceRecord, Role
from bot.models.absence import AbsenceKind
from bot.services.rosters.report import build_report
from bot.standin import NoBotOutput
from bot.texts.roster_report import report_text
from tests.e2e.conftest import coach_named


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": {
                "bureaudienst": {
                    "members": ["Dirk Smit"],
                    "shift": "week",
                    "start": date(2026, 11, 16),
                },
                "piket": {
                    "members": ["Anna de Vries", "Bram Jansen", "Dirk Smit", "Xander"],
                    "shift": "day",
                    "start": date(2026, 10, 2),
                },
                "rest_rules": [{"after": "piket", "before": "bureaudienst", "min_rest_hours": 11}],
            }
        }
    )


async def _absent(sessionmaker, name: str, start: datetime, end: datetime | None) -> None:
    coach = await coach_named(sessionmaker, name)
    async with sessionmaker() as session:
        session.add(
            AbsenceRecord(
                coach_id=coach.id, kind=AbsenceKind.LEAVE, start=start, end=end, created_at=start
            )
        )
        await session.commit()


async def _messages(person) -> list[str]:
    """Everything the bot sent in reply (the handler has finished once `say` returns)."""
    texts = []
    while True:
        try:
            message = await person.standin.next_message(person.user_id, timeout=0.2)
        except NoBotOutput:
            return texts
        texts.append(message["text"])


async def test_team_lead_gets_the_report_in_dutch(member, sessionmaker):
    lead = await member("Tessa de Leider", role=Role.TEAMLEAD)
    await member("Anna de Vries")
    await member("Bram Jansen")
    await member("Dirk Smit")
    # Bram is on leave on Tuesday 24 November (Amsterdam), the day of his piket turn.
    await _absent(
        sessionmaker,
        "Bram Jansen",
        datetime(2026, 11, 23, 23, 0, tzinfo=UTC),
        datetime(2026, 11, 24, 23, 0, tzinfo=UTC),
    )

    text = await lead.ask("/rosterreport")

    lines = text.split("\n")
    assert lines[0] == "Roosterrapport, ma 23 nov 09:00"
    assert lines[2].startswith("Diensturen afgelopen 8 weken (ma 28 sep – zo 22 nov)")
    assert any(
        line.startswith("- Xander (niet gekoppeld aan een coach in de bot), 1 fte: ")
        for line in lines
    )
    assert "- Piket: di 24 nov 17:00 – wo 25 nov 00:00, Bram Jansen is afwezig" in lines
    assert "- Bram Jansen: 1 dienst" in lines
    # Dirk has bureaudienst this week and piket on Wednesday night: no rest before Thursday.
    assert (
        "- Dirk Smit: Piket wo 25 nov 17:00 – do 26 nov 08:30, "
        "daarna Bureaudienst do 26 nov 08:30–17:00: 0 uur rust"
    ) in lines
    await lead.expect_nothing_more()  # short enough for one message


async def test_a_long_report_comes_in_several_messages(member, sessionmaker, clock, config):
    lead = await member("Tessa de Leider", role=Role.TEAMLEAD)
    await member("Anna de Vries")
    await member("Bram Jansen")
    await member("Dirk Smit")
    # On long-term leave: every one of their piket nights is a gap for 8 weeks.
    for name in ("Anna de Vries", "Bram Jansen", "Dirk Smit"):
        await _absent(sessionmaker, name, clock.now(), None)

    await lead.say("/rosterreport")
    parts = await _messages(lead)

    assert len(parts) > 1
    assert all(len(part) <= 4096 for part in parts)
    async with sessionmaker() as session:
        report = await build_report(session, config, clock.now())
    whole = report_text(translator("nl", config.tz), report)
    assert parts[0].startswith("Roosterrapport, ma 23 nov 09:00")
    assert "- Piket: ma 23 nov 17:00 – di 24 nov 08:30, Anna de Vries is afwezig" in whole
    # Cut between lines only: together the messages are the whole report.
    received = [line for part in parts for line in part.split("\n") if line]
    assert received == [line for line in whole.split("\n") if line]


async def test_a_coach_is_refused(member):
    anna = await member("Anna de Vries")
    assert await anna.ask("/rosterreport") == "Dat commando is niet beschikbaar voor jouw rol."
