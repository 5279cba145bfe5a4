"""`achtervang roster export --ics FILE`: the whole team's roster as a calendar file, gaps
included. The process reads the real clock, so the checks hold on any day."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.models import AbsenceKind, AbsenceRecord
from bot.services.team.coaches import find_by_name

AMS = ZoneInfo("Europe/Amsterdam")
ROSTER = """
default_language = "{language}"
[duties.bureaudienst]
members = ["Dirk Smit", "Eva Mulder"]
shift = "week"
start = 2020-01-06
[duties.piket]
members = ["Anna de Vries", "Bram Jansen", "Cem Yilmaz"]
shift = "day"
start = 2020-01-01
"""
HOLDER = re.compile(
    r"Bureaudienst: (Dirk Smit|Eva Mulder)"
    r"|Piket: (Anna de Vries|Bram Jansen|Cem Yilmaz)"
    r"|GAT: Piket"
)


def team_config(tmp_path: Path, language: str = "nl") -> dict[str, str]:
    path = tmp_path / "team.toml"
    path.write_text(ROSTER.format(language=language), encoding="utf-8")
    return {"ACHTERVANG_CONFIG": str(path)}


def read(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


async def test_three_weeks_of_the_team_with_a_gap_while_anna_is_away(
    cli, engine, sessionmaker, tmp_path
):
    env = team_config(tmp_path)
    assert (await cli("coach", "add", "Anna de Vries", env=env)).code == 0
    now = datetime.now(UTC)
    async with sessionmaker() as session:
        anna = await find_by_name(session, "Anna de Vries")
        session.add(
            AbsenceRecord(
                coach_id=anna.id,
                kind=AbsenceKind.LEAVE,
                start=now - timedelta(days=1),
                end=now + timedelta(days=10),
                created_at=now,
            )
        )
        await session.commit()

    result = await cli("roster", "export", "--ics", "rooster.ics", "--weeks", "3", env=env)
    assert result.code == 0, result.err
    events = sorted(read(tmp_path / "rooster.ics").events, key=lambda e: e.start)
    summaries = [str(e["SUMMARY"]) for e in events]
    wrote = re.fullmatch(
        r"(\d+) diensten \((\d+) zonder bezetting\), .+ – .+, geschreven naar rooster\.ics\.\n",
        result.out,
    )
    assert wrote, result.out
    assert int(wrote[1]) == len(events)
    assert int(wrote[2]) == summaries.count("GAT: Piket") >= 3
    assert all(HOLDER.fullmatch(s) for s in summaries), summaries

    for event in events:
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        # Shifts change hands at the office's opening and closing, in local wall time.
        assert event.start.astimezone(AMS).strftime("%H:%M") in {"08:30", "17:00"}
        if str(event["SUMMARY"]) == "GAT: Piket":
            assert event["DESCRIPTION"] == "NIEMAND (Anna de Vries is afwezig)"
            assert event.start < now + timedelta(days=10)
    # Office hours and the rest together: someone (or a visible gap) at every moment.
    assert events[0].start <= now
    covered = events[0].end
    for event in events[1:]:
        assert event.start <= covered, event
        covered = max(covered, event.end)
    assert covered >= now + timedelta(weeks=3)
    assert "Piket: Anna de Vries" in summaries[-12:]


async def test_english_team_default_eight_weeks_and_same_uids_next_time(cli, engine, tmp_path):
    env = team_config(tmp_path, language="en")
    first = await cli("roster", "export", "--ics", "-", env=env)
    assert first.code == 0, first.err
    calendar = Calendar.from_ical(first.out)
    assert str(calendar["X-WR-CALNAME"]) == "Team Gezinscoaches: duty roster"
    events = calendar.events
    assert max(e.end for e in events) >= datetime.now(UTC) + timedelta(weeks=8)
    assert {str(e["SUMMARY"]).split(":")[0] for e in events} == {"Bureaudienst", "On call (piket)"}

    again = await cli("roster", "export", "--ics", "team.ics", env=env)
    assert again.out.startswith(f"Wrote {len(events)} shifts (0 without a holder), ")
    before = {(str(e["SUMMARY"]), e.start): str(e["UID"]) for e in events}
    after = {
        (str(e["SUMMARY"]), e.start): str(e["UID"]) for e in read(tmp_path / "team.ics").events
    }
    assert len(before.keys() & after.keys()) >= len(events) - 1
    assert all(before[key] == after[key] for key in before.keys() & after.keys())


async def test_without_rosters_no_file(cli, engine, tmp_path):
    result = await cli("roster", "export", "--ics", "team.ics")
    assert result.code == 1
    assert result.err.strip() == (
        "Er zijn nog geen diensten ingeroosterd. Een teamleider stelt ze in met /rota."
    )
    assert not (tmp_path / "team.ics").exists()
