from datetime import UTC, date, datetime

from bot.config.team import TeamConfig
from bot.handlers.now import describe
from bot.i18n import translator
from bot.services.rosters.core import Absence, duty_status


def test_an_absent_holder_shows_as_a_gap_naming_who_is_missing():
    config = TeamConfig.model_validate(
        {
            "duties": {
                "piket": {
                    "members": ["Anna de Vries", "Bram Jansen"],
                    "shift": "day",
                    "start": date(2026, 11, 20),
                },
            }
        }
    )
    tuesday_night = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)  # 22:00 in Amsterdam
    sick = [Absence("Anna de Vries", datetime(2026, 11, 24, 6, 0, tzinfo=UTC))]
    status = duty_status(config, "piket", tuesday_night, absences=sick)
    nl = translator("nl", config.tz)
    assert describe(nl, status) == (
        "Piket: NIEMAND (Anna de Vries is afwezig), tot wo 25 nov 08:30. "
        "Daarna: Bram Jansen vanaf wo 25 nov 17:00."
    )
