"""The answering service's live roster: token links on the HTTP side, computed on every
request (a swap shows at once), CSV for a spreadsheet with Dutch settings, iCalendar that an
independent parser (vobject) reads with the right Amsterdam times across a clock change."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from aiohttp.test_utils import TestClient, TestServer

from bot.config.team import TeamConfig
from bot.models import FEED_CALENDAR, FEED_ROSTER, AbsenceKind, AbsenceRecord
from bot.operations.health import HealthCheck
from bot.operations.http import build_app
from bot.services.rosters import feed_tokens
from tests.e2e.conftest import coach_named
from tests.e2e.harness import buttons
from tests.e2e.test_swap import WED_NIGHT, offer_wednesday_night

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": {
                "bureaudienst": {
                    "members": ["Dirk Smit", "Eva Mulder"],
                    "shift": "week",
                    "start": date(2026, 11, 16),
                },
                # Day shifts: Bram holds Monday 23 November, Carla Tuesday, Anna Wednesday.
                "piket": {
                    "members": ["Anna de Vries", "Bram Jansen", "Carla Bos"],
                    "shift": "day",
                    "start": date(2026, 10, 2),
                },
            },
            "feeds": {"weeks": 1, "base_url": "https://achtervang.example.nl"},
        }
    )


@pytest.fixture
async def http(runtime, bot_app):
    check = HealthCheck(runtime.sessionmaker, runtime.clock, 30.0)
    async with TestClient(TestServer(build_app(check, runtime))) as client:
        yield client


async def _token(sessionmaker, clock, kind=FEED_ROSTER, consumer="antwoorddienst", coach_id=None):
    async with sessionmaker() as session:
        token = await feed_tokens.issue(
            session, kind=kind, now=clock.now(), consumer=consumer, coach_id=coach_id
        )
        await session.commit()
    return token


async def _csv(http, token) -> list[list[str]]:
    response = await http.get(f"/feed/roster/{token}.csv")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    raw = await response.read()
    assert raw.startswith("\ufeff".encode())  # Excel's cue that the file is UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def _piket(rows: list[list[str]], start: str) -> list[str]:
    return next(row for row in rows if row[0] == "Piket" and row[1] == start)


async def test_the_csv_has_numbers_and_gaps_and_a_swap_shows_at_once(
    member, sessionmaker, clock, http
):
    anna = await member("Anna de Vries")
    bram = await member("Bram Jansen")
    await member("Carla Bos")
    await anna.ask("/profile phone 06 12345678")
    await bram.ask("/profile phone 06 87654321")
    carla = await coach_named(sessionmaker, "Carla Bos")
    async with sessionmaker() as session:
        # Carla is on leave on Tuesday: her piket night is a gap.
        session.add(
            AbsenceRecord(
                coach_id=carla.id,
                kind=AbsenceKind.LEAVE,
                start=datetime(2026, 11, 24, 6, tzinfo=UTC),
                end=datetime(2026, 11, 25, 12, tzinfo=UTC),
                created_at=clock.now(),
            )
        )
        await session.commit()
    token = await _token(sessionmaker, clock)

    rows = await _csv(http, token)
    assert rows[0] == ["duty", "start", "end", "name", "phone"]
    assert _piket(rows, "2026-11-23 17:00") == [
        "Piket", "2026-11-23 17:00", "2026-11-24 08:30", "Bram Jansen", "06 87654321"
    ]  # fmt: skip
    assert _piket(rows, "2026-11-24 17:00")[3:] == ["NIEMAND (Carla Bos is afwezig)", ""]
    assert _piket(rows, "2026-11-25 17:00")[3:] == ["Anna de Vries", "06 12345678"]

    # Anna swaps her Wednesday night to Bram: the very next request shows it.
    listing = await offer_wednesday_night(anna)
    assert listing is not None
    await anna.reply()
    offer = await bram.reply()
    await bram.press(offer, buttons(offer)["Ik neem hem over"])
    assert WED_NIGHT in (await bram.reply())["text"]
    rows = await _csv(http, token)
    assert _piket(rows, "2026-11-25 17:00")[3:] == ["Bram Jansen", "06 87654321"]


async def test_a_wrong_or_revoked_token_gets_a_bare_404(member, sessionmaker, clock, http):
    await member("Anna de Vries")
    token = await _token(sessionmaker, clock)
    assert (await http.get(f"/feed/roster/{token}.ics")).status == 200
    anna = await coach_named(sessionmaker, "Anna de Vries")
    own = await _token(sessionmaker, clock, kind=FEED_CALENDAR, consumer=None, coach_id=anna.id)
    async with sessionmaker() as session:
        await feed_tokens.revoke(
            session, kind=FEED_ROSTER, now=clock.now(), consumer="antwoorddienst"
        )
        await session.commit()
    for path in (
        f"/feed/roster/{token}.csv",  # revoked
        f"/feed/roster/{token}.ics",
        f"/feed/roster/{token[:-1]}x.csv",  # wrong
        "/feed/roster/.csv",
        f"/feed/roster/{'a' * 500}.csv",
        f"/feed/roster/{own}.csv",  # a calendar's token is no roster token
        f"/feed/calendar/{token}.ics",
    ):
        response = await http.get(path)
        assert (response.status, await response.read()) == (404, b""), path
        assert "Set-Cookie" not in response.headers


async def test_the_icalendar_reads_right_in_vobject_across_the_clock_change(
    member, sessionmaker, clock, http
):
    await member("Anna de Vries")
    await member("Bram Jansen")
    await member("Carla Bos")
    # Monday 19 October 2026; on Sunday the 25th the clocks go back at 03:00.
    clock.set(datetime(2026, 10, 19, 7, tzinfo=UTC))
    token = await _token(sessionmaker, clock)
    response = await http.get(f"/feed/roster/{token}.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = vobject.readOne((await response.read()).decode())
    events = {
        (e.summary.value, e.dtstart.value): e
        for e in parsed.vevent_list
        if "Piket" in e.summary.value
    }
    # The weekend shift over the change: Saturday 17:00 to Sunday 17:00 wall time, 25 hours.
    weekend = next(e for (_, start), e in events.items() if start.date() == date(2026, 10, 24))
    start, end = weekend.dtstart.value, weekend.dtend.value
    assert (start.hour, start.minute, end.hour, end.minute) == (17, 0, 17, 0)
    assert start.utcoffset() == timedelta(hours=2) and end.utcoffset() == timedelta(hours=1)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=25)
    # Every time is Amsterdam's, the same instant a calendar app will show.
    for event in parsed.vevent_list:
        assert event.dtstart.value.astimezone(AMSTERDAM).hour == event.dtstart.value.hour
    assert len({e.uid.value for e in parsed.vevent_list}) == len(parsed.vevent_list)
