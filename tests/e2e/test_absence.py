"""Absences and backup rounds through the Bot API stand-in: a coach reports sick, her eight
families go round for a backup, the lead assigns what is left, a crisis reaches the backup,
and /back ends it all with a handover summary."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.config.team import TeamConfig
from bot.models import AuditEvent, CaseContact, CaseCover, CoverStatus, OutboxMessage
from bot.scheduling.jobs import run_tick
from tests.e2e.absence_setup import absence_config, absence_team, drain, requests
from tests.e2e.conftest import coach_named, running_bot
from tests.e2e.harness import buttons, inbox_of


@pytest.fixture
def config() -> TeamConfig:
    return absence_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0  # the tests move the clock and tick by hand


@pytest.fixture
async def team(member, sessionmaker):
    return await absence_team(member, sessionmaker)


async def _accept(person, message) -> str:
    await person.press(message, buttons(message)["Accepteren"])
    shown = await drain(person)
    return shown[-1]["text"]


async def _decline(person, message) -> None:
    await person.press(message, buttons(message)["Weigeren"])
    assert (await drain(person))[-1]["text"].startswith("Begrepen: ik vraag iemand anders")


async def test_sick_today_round_lead_crisis_and_back(team, standin, bot_app, clock, sessionmaker):
    anna, bram, cem, sara = team["Anna"], team["Bram"], team["Cem"], team["Sara"]
    assert await anna.ask("/absent ziek") == (
        "Opgeslagen: Anna de Vries is ziek vanaf ma 23 nov tot nader bericht.\n"
        "Ik vraag nu back-ups voor 8 gezinnen."
    )
    to_bram, to_cem = requests(await drain(bram)), requests(await drain(cem))
    assert sorted(to_bram) == ["GZ-101", "GZ-102", "GZ-103", "GZ-104", "GZ-107", "GZ-108"]
    assert sorted(to_cem) == ["GZ-105", "GZ-106"]
    assert to_bram["GZ-101"]["text"] == (
        "Back-upverzoek voor gezin GZ-101: Anna de Vries is ziek vanaf ma 23 nov tot nader "
        "bericht. Wil jij dit gezin in de tussentijd waarnemen?\n\n"
        "Fase: uitvoering\nVeiligheid: veiligheidsplan\nVolgende evaluatie: geen\n"
        "Laatste contact: geen\n\n"
        "Antwoord graag vóór ma 23 nov 09:01; daarna vraag ik iemand anders."
    )
    await sara.expect_nothing_more()

    for code in ("GZ-101", "GZ-102", "GZ-103"):
        assert (await _accept(bram, to_bram[code])).startswith(f"Dank je: jij neemt {code} waar")
    # A decline moves on to the next candidate at once.
    await _decline(bram, to_bram["GZ-104"])
    moved = requests(await drain(cem))
    assert list(moved) == ["GZ-104"]
    await _accept(cem, moved["GZ-104"])
    await _accept(cem, to_cem["GZ-105"])
    # Bram and then Cem cannot take 107 and 108: nobody is left, but 106 is still out.
    await _decline(bram, to_bram["GZ-107"])
    await _decline(bram, to_bram["GZ-108"])
    last_round = requests(await drain(cem))
    assert sorted(last_round) == ["GZ-107", "GZ-108"]
    await _decline(cem, last_round["GZ-107"])
    await _decline(cem, last_round["GZ-108"])
    await sara.expect_nothing_more()

    # Cem leaves GZ-106 unanswered: after the deadline the tick asks Bram.
    clock.advance(timedelta(seconds=61))
    await run_tick(bot_app)
    late = requests(await drain(bram))
    assert list(late) == ["GZ-106"]
    await _accept(bram, late["GZ-106"])
    # Nothing is out any more: the lead hears which families nobody took, once.
    # (The tick also told her of Anna's piket shifts that are now gaps in the roster.)
    told_lead = [m for m in await drain(sara) if m["text"].startswith("Niemand kon")]
    assert len(told_lead) == 1
    uncovered = told_lead[0]
    assert uncovered["text"] == (
        "Niemand kon 2 gezinnen van Anna de Vries overnemen (ziek vanaf ma 23 nov tot nader "
        "bericht):\nGZ-107\nGZ-108\n\nKies een gezin om zelf een back-up toe te wijzen."
    )
    await run_tick(bot_app)
    await sara.expect_nothing_more()

    # The lead assigns GZ-107 by hand, choosing among those with room.
    await sara.press(uncovered, buttons(uncovered)["GZ-107"])
    choice = await sara.reply()
    assert choice["text"] == "Wie neemt GZ-107 waar?"
    assert "Eva Mulder (ruimte voor 0)" not in buttons(choice)
    await sara.press(choice, buttons(choice)["Cem Yilmaz (ruimte voor 8)"])
    assert (await sara.reply())["text"] == (
        "Cem Yilmaz neemt nu GZ-107 waar en is op de hoogte gebracht."
    )
    told = await drain(cem)
    assert told[-1]["text"].startswith("De teamleider vraagt je gezin GZ-107 waar te nemen")

    async with sessionmaker() as session:
        accepted = await session.scalar(
            select(func.count()).where(CaseCover.status == CoverStatus.ACCEPTED)
        )
        assert accepted == 7

    # A crisis for a covered family in office hours goes to the backup, not to bureaudienst.
    await team["Wijkteam"].ask("/crisis GZ-101 moeder belt, vader dreigt")
    alert = await bram.reply()
    assert alert["text"].startswith("🚨 CRISISMELDING GZ-101")
    await team["Eva"].expect_nothing_more()

    bram_id = (await coach_named(sessionmaker, "Bram Jansen")).id
    async with sessionmaker() as session:
        case_id = to_bram["GZ-101"]["text"] and (
            await session.scalar(
                select(CaseCover.case_id).where(CaseCover.coach_id == bram_id).limit(1)
            )
        )
        session.add(
            CaseContact(
                case_id=case_id,
                coach_id=bram_id,
                on=date(2026, 11, 24),
                recorded_at=datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
            )
        )
        await session.commit()

    clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    assert (await anna.ask("/back")).startswith("Welkom terug, Anna de Vries.")
    summary = (await anna.reply())["text"]
    assert summary.startswith(
        "Welkom terug. Je gezinnen tijdens je afwezigheid (van ma 23 nov tot en met wo 25 nov):"
    )
    assert (
        "GZ-101\nWaargenomen door Bram Jansen.\n"
        "1 contact vastgelegd, het laatste op di 24 nov door Bram Jansen.\n"
        "Crisismelding ma 23 nov 09:01: staat nog open." in summary
    )
    assert "GZ-108\nNiemand heeft dit gezin waargenomen.\nGeen contact vastgelegd." in summary
    assert (await drain(bram))[-1]["text"] == (
        "Anna de Vries is terug. Je waarneming van GZ-101, GZ-102, GZ-103, GZ-106 is "
        "afgelopen. Bedankt voor het waarnemen!"
    )
    assert "GZ-104, GZ-105, GZ-107" in (await drain(cem))[-1]["text"]
    async with sessionmaker() as session:
        live = await session.scalar(
            select(func.count()).where(
                CaseCover.status.in_((CoverStatus.ASKED, CoverStatus.ACCEPTED))
            )
        )
        assert live == 0
        actions = set(await session.scalars(select(AuditEvent.action)))
    assert {"absence.reported", "absence.ended", "cover.accepted", "cover.expired"} <= actions
    # Run again: nobody is thanked or summarised twice.
    await run_tick(bot_app)
    await anna.expect_nothing_more()
    await bram.expect_nothing_more()


async def test_restart_mid_round_asks_nobody_twice(team, standin, runtime, bot_app, clock):
    bram, cem = team["Bram"], team["Cem"]
    await team["Anna"].ask("/absent ziek")
    assert len(requests(await drain(bram))) == 6
    assert len(requests(await drain(cem))) == 2
    # The bot goes down mid-round and a new process takes over from the database.
    await inbox_of(bot_app).stop()
    await bot_app.stop()
    async with running_bot(standin, runtime) as app:
        await run_tick(app)
        await bram.expect_nothing_more()
        await cem.expect_nothing_more()
        clock.advance(timedelta(seconds=61))
        await run_tick(app)
        await run_tick(app)
        # Every request expired: each family goes to its next candidate exactly once.
        assert len(requests(await drain(cem))) == 6
        assert len(requests(await drain(bram))) == 2
    # Back up, for the fixture to shut it down as usual.
    await bot_app.start()
    await inbox_of(bot_app).start()


async def test_planned_leave_gets_backups_ahead_and_a_briefing(team, bot_app, clock, sessionmaker):
    anna, bram = team["Anna"], team["Bram"]
    # Leave Monday 7 to Friday 11 December, reported on Monday 23 November.
    assert await anna.ask("/absent verlof 07-12 11-12") == (
        "Opgeslagen: Anna de Vries is met verlof van ma 7 dec tot en met vr 11 dec.\n"
        "Ik vraag vanaf wo 2 dec back-ups voor de gezinnen."
    )
    await bram.expect_nothing_more()
    clock.set(datetime(2026, 12, 2, 8, 0, tzinfo=UTC))  # Wednesday: five days ahead
    await run_tick(bot_app)
    to_bram = requests(await drain(bram))
    assert len(to_bram) == 6
    assert "met verlof van ma 7 dec tot en met vr 11 dec" in to_bram["GZ-101"]["text"]
    await _accept(bram, to_bram["GZ-101"])
    await anna.expect_nothing_more()
    # Two working days before Monday the 7th: Thursday the 3rd, in the morning.
    clock.set(datetime(2026, 12, 3, 7, 0, tzinfo=UTC))
    await run_tick(bot_app)
    shown = [m["text"] for m in await drain(anna)]
    # (Next to the morning reminder about her families.)
    [briefing] = [text for text in shown if text.startswith("Je bent")]
    assert briefing.startswith(
        "Je bent met verlof van ma 7 dec tot en met vr 11 dec. Draag je gezinnen over"
    )
    assert "GZ-101: Bram Jansen" in briefing
    assert "GZ-102: Bram Jansen gevraagd, nog geen antwoord" in briefing
    async with sessionmaker() as session:
        briefings = await session.scalar(
            select(func.count()).where(OutboxMessage.kind == "absence_briefing")
        )
    assert briefings == 1


async def test_bad_input_changes_nothing(team, sessionmaker):
    anna, bram, sara = team["Anna"], team["Bram"], team["Sara"]
    assert (await bram.ask("/absent verlof 01-11 05-11")).startswith(
        "Die afwezigheid ligt helemaal in het verleden."
    )
    assert (await bram.ask("/absent verlof")).startswith("Opgeslagen: Bram Jansen")
    assert (await bram.ask("/absent ziek")).startswith(
        "Dat overlapt met een afwezigheid die al gemeld is (met verlof, van ma 23 nov tot en "
        "met ma 23 nov)."
    )
    assert (await anna.ask("/absent Bram verlof 01-12")).startswith(
        "Alleen een teamleider kan afwezigheid voor iemand anders melden."
    )
    assert await sara.ask("/absent Zoltan ziek") == "Ik ken geen teamlid dat 'Zoltan' heet."
    assert (await anna.ask("/absent verlof 05-12 01-12")).startswith(
        "De laatste dag ligt vóór de eerste dag."
    )
    assert (await anna.ask("/absent vakantie morgen binnenkort")).startswith("'binnenkort'")
    assert await anna.ask("/back") == "Er loopt nu geen afwezigheid om te beëindigen."
    async with sessionmaker() as session:
        reported = await session.scalar(
            select(func.count()).where(AuditEvent.action == "absence.reported")
        )
    assert reported == 1


async def test_lead_reports_training_for_a_coach_step_by_step(team, sessionmaker):
    sara, anna = team["Sara"], team["Anna"]
    await sara.say("/absent Anna")
    kind = await sara.reply()
    assert kind["text"] == "Wat voor afwezigheid voor Anna de Vries?"
    await sara.press(kind, buttons(kind)["Scholing"])
    start = await sara.reply()
    assert start["text"] == "Vanaf wanneer?"
    await sara.press(start, buttons(start)["Andere datum"])
    assert (await sara.reply())["text"].startswith("Stuur de eerste dag")
    await sara.say("30-11")
    until = await sara.reply()
    # Only sickness may stay open.
    assert set(buttons(until)) == {"Alleen die dag", "Andere datum"}
    await sara.press(until, buttons(until)["Alleen die dag"])
    confirm = await sara.reply()
    assert (
        confirm["text"]
        == "Anna de Vries: op scholing van ma 30 nov tot en met ma 30 nov. Klopt dat?"
    )
    await sara.press(confirm, buttons(confirm)["Bevestigen"])
    shown = await drain(sara)
    assert shown[-1]["text"].startswith(
        "Opgeslagen: Anna de Vries is op scholing van ma 30 nov tot en met ma 30 nov.\n"
        "Ik vraag vanaf wo 25 nov back-ups voor de gezinnen."
    )
    await anna.expect_nothing_more()


@pytest.fixture
async def english_team(member, sessionmaker):
    return await absence_team(member, sessionmaker, anna_language="en")


async def test_in_english_guided_sick_until_back(english_team):
    anna = english_team["Anna"]
    await anna.say("/absent")
    kind = await anna.reply()
    assert kind["text"] == "What kind of absence?"
    assert set(buttons(kind)) == {"Sick", "Leave", "Training", "Other"}
    await anna.press(kind, buttons(kind)["Sick"])
    start = await anna.reply()
    await anna.press(start, buttons(start)["Today"])
    until = await anna.reply()
    await anna.press(until, buttons(until)["Open: until I report back"])
    confirm = await anna.reply()
    assert confirm["text"] == (
        "Anna de Vries: sick from Mon 23 Nov until further notice. Is that right?"
    )
    await anna.press(confirm, buttons(confirm)["Confirm"])
    assert (await drain(anna))[-1]["text"] == (
        "Saved: Anna de Vries is sick from Mon 23 Nov until further notice.\n"
        "I am asking back-ups for 8 families now."
    )
    assert (await anna.ask("/back")).startswith("Welcome back, Anna de Vries.")
