"""The intake of a crisis without Telegram. Flood control: a reporter's repeat joins their open
alert within the join window, and new alerts beyond the ceiling a minute are refused, per
reporter. The receipt: stored with the alert, worded when it is sent (after the first alert),
from the alert as stored and what the reporter sent."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config.team import TeamConfig
from bot.i18n import translator
from bot.models import AlertStatus, Case, OutboxStatus, Phase, Role
from bot.scheduling import outbox
from bot.scheduling.alert_edits import alert_receipt
from bot.scheduling.notices import Obsolete, Text
from bot.services.alerts.codes import MAX_TEXT
from bot.services.alerts.intake import Sent, Taken, take_in
from bot.services.team.coaches import add_coach

NIGHT = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)  # Monday 23:00 in Amsterdam
EN = translator("en", ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": {
                "piket": {"members": ["Bram Jansen"], "shift": "week", "start": date(2026, 11, 2)}
            },
            "alerts": {"join_window": "10m", "max_new_per_minute": 2},
        }
    )


@pytest.fixture
async def people(session, config):
    found = {}
    for number, (name, role) in enumerate(
        [("Bram Jansen", Role.COACH), ("Cem Yilmaz", Role.COACH), ("Wijkteam Noord", Role.PARTNER)]
    ):
        coach = await add_coach(session, name=name, role=role, config=config, now=NIGHT)
        coach.telegram_user_id = 5000 + number
        found[name.split()[0]] = coach
    await session.commit()
    return found


async def test_a_repeat_joins_the_open_alert_until_the_window_has_passed(session, config, people):
    cem = people["Cem"]

    async def raise_(code: str, at: datetime):
        return await take_in(session, config, reporter=cem, code=code, text="nood", now=at)

    first = await raise_("GZ-1", NIGHT)
    assert first.result is Taken.NEW
    again = await raise_("gz-1", NIGHT + timedelta(minutes=9))
    assert again.result is Taken.JOINED and again.alert.id == first.alert.id
    later = await raise_("GZ-1", NIGHT + timedelta(minutes=11))
    assert later.result is Taken.NEW and later.alert.id != first.alert.id

    # Another reporter for the same family raises their own alert.
    other = await take_in(
        session, config, reporter=people["Wijkteam"], code="GZ-1", text="nood", now=NIGHT
    )
    assert other.result is Taken.NEW

    # A taken alert is not joined: a new crisis after the take is a new alert.
    later.alert.status = AlertStatus.TAKEN
    await session.flush()
    after_take = await raise_("GZ-1", NIGHT + timedelta(minutes=13))
    assert after_take.result is Taken.NEW


async def test_the_ceiling_is_per_reporter_and_per_minute(session, config, people):
    cem, wijk = people["Cem"], people["Wijkteam"]

    async def raise_(who, code: str, at: datetime):
        return (await take_in(session, config, reporter=who, code=code, text="x", now=at)).result

    assert [await raise_(cem, f"GZ-{n}", NIGHT) for n in range(4)] == [
        Taken.NEW,
        Taken.NEW,
        Taken.REFUSED,
        Taken.REFUSED,
    ]
    assert await raise_(cem, "GZ-0", NIGHT) is Taken.JOINED  # a repeat is not refused
    assert await raise_(wijk, "GZ-9", NIGHT) is Taken.NEW
    assert await raise_(cem, "GZ-2", NIGHT + timedelta(seconds=61)) is Taken.NEW


# -- the receipt ---------------------------------------------------------------------------


@pytest.fixture
async def family(session, people) -> None:
    session.add(Case(code="GZ-1042", coach_id=people["Bram"].id, phase=Phase.UITVOERING))
    await session.commit()


async def _raise(session, config, who, code, text, at=NIGHT, ref="1:1"):
    intake = await take_in(
        session, config, reporter=who, code=code, text=text, now=at, sent=Sent(ref, len(text))
    )
    await session.commit()
    return intake


async def _worded(session, config, row, at=NIGHT) -> str:
    outcome = await alert_receipt(session, config, row, EN, at)
    assert isinstance(outcome, Text)
    return "\n\n".join(outcome.parts)


async def test_the_receipt_is_stored_claimed_with_the_alert_and_sent_after_it(
    session, config, people, family
):
    intake = await _raise(session, config, people["Cem"], "GZ-1042", "vader dreigt")
    assert intake.result is Taken.NEW
    assert [row.kind for row in intake.claimed] == ["alert"]
    [receipt] = intake.receipts
    assert receipt.status == OutboxStatus.SENDING and receipt.coach_id == people["Cem"].id
    assert await _worded(session, config, receipt) == (
        "Your crisis alert GZ-1042 is saved and on its way to the coach on duty. "
        "I will tell you who takes it."
    )


async def test_a_cut_text_is_said_with_where_it_stops(session, config, people, family):
    text = "x" * (MAX_TEXT - 30) + "y" * 30 + "z" * 100
    intake = await _raise(session, config, people["Cem"], "GZ-1042", text)
    worded = await _worded(session, config, intake.receipts[0])
    assert f"Your text had {len(text)} characters, more than the {MAX_TEXT}" in worded
    assert "'…" + "y" * 30 + "'" in worded


async def test_an_unknown_code_gets_close_codes_when_worded_but_a_partner_none(
    session, config, people, family
):
    coach = await _raise(session, config, people["Cem"], "GZ-1024", "nood")
    assert "Did you mean GZ-1042?" in await _worded(session, config, coach.receipts[0])
    partner = await _raise(session, config, people["Wijkteam"], "GZ-1024", "nood", ref="2:1")
    worded = await _worded(session, config, partner.receipts[0])
    assert "I don't know the code GZ-1024" in worded and "GZ-1042" not in worded


async def test_a_repeat_gets_the_joined_receipt(session, config, people, family):
    first = await _raise(session, config, people["Cem"], "GZ-1042", "nood")
    later = NIGHT + timedelta(minutes=5)
    again = await _raise(session, config, people["Cem"], "gz-1042", "nog steeds", later, "1:2")
    assert again.result is Taken.JOINED and again.alert.id == first.alert.id
    worded = await _worded(session, config, again.receipts[0], later)
    assert worded.startswith("Your crisis alert GZ-1042 of ")
    assert "is still open, so no second alert was made" in worded


async def test_a_receipt_worded_before_an_upgrade_goes_out_as_stored(session, config, people):
    [row] = await outbox.enqueue_all(
        session,
        [
            outbox.message(
                key="alert-receipt:1:9:9",
                kind="alert_receipt",
                coach_id=people["Cem"].id,
                due_at=NIGHT,
                now=NIGHT,
                payload={"alert_id": 1, "parts": ["Opgeslagen en onderweg."]},
                claimed=True,
            )
        ],
        returning=True,
    )
    assert await _worded(session, config, row) == "Opgeslagen en onderweg."
    late = await alert_receipt(session, config, row, EN, NIGHT + timedelta(hours=2))
    assert isinstance(late, Obsolete)
