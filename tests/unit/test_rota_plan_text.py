"""How a proposed roster reads for the lead: hours against fair share, and each gap with why."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config.team import TeamConfig
from bot.i18n import translator
from bot.services.rosters.core import Absence
from bot.services.rosters.plans import Proposed
from bot.services.rosters.proposal import Person, propose
from bot.texts.rota_plan import proposal_text

CONFIG = TeamConfig.model_validate(
    {"duties": {"bureaudienst": {"members": ["-"], "shift": "week", "start": "2026-11-16"}}}
)
OFFICE = frozenset({"bureaudienst"})


def test_the_summary_names_hours_fair_shares_and_gaps_with_reasons():
    people = [Person("Anna", 1.0, OFFICE, frozenset({1, 2, 3, 4})), Person("Bram", 0.5, OFFICE)]
    away = Absence("Bram", datetime(2027, 1, 8, tzinfo=UTC), datetime(2027, 1, 9, tzinfo=UTC))
    first = date(2027, 1, 4)
    plan = propose(CONFIG, people, first, first + timedelta(weeks=1), [away])
    text = proposal_text(translator("en", ZoneInfo("Europe/Amsterdam")), Proposed(7, plan, []))
    lines = text.splitlines()
    assert lines[0] == (
        "Proposed roster Mon 4 Jan 2027 – Sun 10 Jan 2027. Nothing changes until you approve it."
    )
    assert (
        "- Anna, 1 fte: 25.5 h (fair 28.3 h), weekend or holiday piket: 0, public holidays: 0"
        in (lines)
    )
    assert "1 shift nobody could take:" in lines
    assert "- Bureaudienst Fri 8 Jan 08:30–17:00 (Anna: not a workday, Bram: absent)" in lines
