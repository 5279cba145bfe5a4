"""The waitlist through the Bot API stand-in: a team lead adds a referral step by step and
decides on it, the list and one family's place as a lead and as a coach, intake into a
caseload, bad input, and the scheduler's 7- and 9-week and 24-hour warnings."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import AuditEvent, Case, Phase, Role
from bot.models.waitlist_terms import Concern
from bot.scheduling.jobs import run_tick
from bot.services.waitlist import store as waitlist
from bot.services.waitlist.store import Referral
from tests.e2e.harness import Person, buttons
from tests.e2e.team_setup import add_family, enrol_all, week_duties

# Monday 23 November 2026, 09:00 in Amsterdam. Eva Mulder holds bureaudienst this week: the
# default contact person for a new referral.
TODAY = date(2026, 11, 23)


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate({"duties": week_duties()})


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member):
    return await enrol_all(
        member,
        [
            ("Anna de Vries", Role.COACH),
            ("Eva Mulder", Role.COACH),
            ("Dirk Smit", Role.COACH),
            ("Sara Bakker", Role.TEAMLEAD),
            ("Wijkteam Noord", Role.PARTNER),
        ],
    )


@pytest.fixture
def put_on_list(sessionmaker, config, clock):
    async def put(code, referred, complexity, cost, concern=Concern.NONE, accepted=True):
        async with sessionmaker() as session:
            referral = Referral(code, referred, "Wijkteam Noord", complexity, cost, concern)
            entry = await waitlist.add(
                session, config, referral, actor=None, now=clock.now(), accepted=accepted
            )
            await session.commit()
        return entry

    return put


async def step(person: Person, *, text: str | None = None, press: str | None = None) -> dict:
    """Answers the bot's last question by text or by pressing one of its buttons."""
    if text is not None:
        await person.say(text)
    else:
        question = person.standin.bot_messages(person.user_id)[-1]
        await person.press(question, buttons(question)[press])
    return await person.reply()


async def test_a_lead_adds_a_referral_step_by_step_and_accepts_it(team):
    sara = team["Sara"]
    assert (await sara.ask("/waitlist_add")).startswith("Welk gezin?")
    asked = await step(sara, text="alm-0417")
    assert (
        asked["text"] == "Wanneer is ALM-0417 aangemeld? Een datum zoals 20-11-2026, of een knop."
    )
    assert (await step(sara, press="Gisteren"))["text"].startswith("Wie heeft het gezin aangemeld")
    assert (await step(sara, text="Wijkteam Noord"))["text"].startswith("Hoe complex")
    assert (await step(sara, press="4"))["text"].startswith("Kostenklasse per jaar")
    assert (await step(sara, press="3"))["text"] == "Is er zorg over de veiligheid?"
    contact = await step(sara, press="geen zorg over veiligheid")
    assert contact["text"].startswith("Wie van het team is de contactpersoon")
    assert set(buttons(contact)) == {"Eva Mulder (bureaudienst vandaag)"}
    assert (await step(sara, text="Zoë"))["text"].startswith(
        "Ik ken geen actieve coach die 'Zoë' heet."
    )
    saved = await step(sara, text="dirk")
    assert saved["text"] == (
        "ALM-0417 is geregistreerd als aanmelding. Neem je het aan op de wachtlijst?"
    )
    await sara.press(saved, buttons(saved)["Aannemen op de wachtlijst"])
    decided = await sara.reply()
    assert decided["text"].endswith("\n\nALM-0417 staat op de wachtlijst.")
    assert not buttons(decided)

    assert await sara.ask("/waitlist") == (
        "Wachtlijst, 1 gezin, eerste in de rij bovenaan:\n"
        "1. ALM-0417, 1 dag wachtend, contactpersoon: Dirk Smit\n"
        "   score 12,5: complexiteit 4 (8), kostenklasse 3 (4,5), 0 weken wachten (0)"
    )


async def test_coaches_see_places_and_contacts_partners_see_nothing(team, put_on_list):
    await put_on_list("ALM-0101", date(2026, 11, 16), 3, 2)  # 6 + 3 + 1 week = 10
    await put_on_list("ALM-0102", date(2026, 11, 20), 5, 4)  # 10 + 6 = 16
    await put_on_list("ALM-0103", date(2026, 9, 7), 2, 1)  # 4 + 1.5 + 11 weeks = 16.5
    listed = await team["Anna"].ask("/waitlist")
    assert listed == (
        "Wachtlijst, 3 gezinnen, eerste in de rij bovenaan:\n"
        "1. ALM-0103, 77 dagen wachtend, contactpersoon: Eva Mulder\n"
        "2. ALM-0102, 3 dagen wachtend, contactpersoon: Eva Mulder\n"
        "3. ALM-0101, 7 dagen wachtend, contactpersoon: Eva Mulder\n"
        "Over de norm van 9 weken: ALM-0103"
    )
    place = await team["Anna"].ask("/waitlist alm-0102")
    assert place.startswith("ALM-0102 staat op plaats 2 van 3 op de wachtlijst en wacht 3 dagen")
    assert "Verwachte start: onbekend" in place
    assert "score" not in place
    refused = await team["Wijkteam"].ask("/waitlist")
    assert "ALM-" not in refused and refused == "Dat commando is niet beschikbaar voor jouw rol."


async def test_an_english_lead_reads_the_reasons_in_english(member, put_on_list):
    lead = await member("Sara Bakker", role=Role.TEAMLEAD, language="en")
    await put_on_list("ALM-0201", date(2026, 11, 9), 2, 2, concern=Concern.CONCERN)
    assert await lead.ask("/waitlist") == (
        "Waitlist, 1 family, first in line first:\n"
        "1. ALM-0201, 14 days waiting, contact: nobody yet\n"
        "   score 13: complexity 2 (4), cost band 2 (3), safety concern (4), "
        "2 weeks waiting (2)"
    )


async def test_intake_moves_the_family_into_a_caseload(team, put_on_list, sessionmaker):
    await put_on_list("ALM-0417", date(2026, 11, 2), 4, 3)
    sara = team["Sara"]
    assert await sara.ask("/intake ALM-0417 anna") == (
        "ALM-0417 is nu een gezin van Anna de Vries, in de fase intake, en staat niet meer op "
        "de wachtlijst."
    )
    async with sessionmaker() as session:
        case = await session.scalar(select(Case).where(Case.code == "ALM-0417"))
        intake = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "waitlist.intake")
        )
    assert case.phase == Phase.INTAKE and case.start_date == TODAY
    assert intake.subject == "ALM-0417" and intake.detail == "coach Anna de Vries"
    assert await sara.ask("/waitlist") == "Er staat niemand op de wachtlijst."


async def test_bad_input_changes_nothing(team, put_on_list, sessionmaker):
    sara = team["Sara"]
    await put_on_list("ALM-0417", date(2026, 11, 2), 4, 3)
    await put_on_list("ALM-0500", date(2026, 11, 20), 1, 1, accepted=False)
    await add_family(sessionmaker, "ALM-0300", "Dirk Smit")
    await sara.ask("/waitlist_add")
    again = await sara.ask("ALM-0417")
    assert again == (
        "ALM-0417 staat al op de wachtlijst; er is niets veranderd. "
        "Stuur een andere code, of /cancel."
    )
    assert (await sara.ask("ALM-0300")).startswith("ALM-0300 heeft al een coach")
    assert await sara.ask("/cancel") == "Gestopt. Er is niets op de wachtlijst gezet."

    assert await sara.ask("/intake ALM-0417 Zoë") == "Ik ken geen actieve coach die 'Zoë' heet."
    assert (await sara.ask("/intake ALM-0500 Anna")).startswith(
        "Over ALM-0500 is nog geen besluit tot aanname"
    )
    assert await sara.ask("/intake ALM-0999 Anna") == "ALM-0999 staat niet op de wachtlijst."
    for number in range(10):  # Dirk's limit is 10 families; ALM-0300 is one of them
        if number:
            await add_family(sessionmaker, f"ALM-03{number:02d}", "Dirk Smit")
    assert await sara.ask("/intake ALM-0417 Dirk") == (
        "Dirk Smit heeft al 10 gezinnen bij een maximum van 10; er is niets veranderd. "
        "/caseload laat zien wie ruimte heeft."
    )
    assert (await team["Anna"].ask("/intake ALM-0417 Anna")).startswith(
        "Dat commando is niet beschikbaar"
    )
    async with sessionmaker() as session:
        assert await session.scalar(select(Case).where(Case.code == "ALM-0417")) is None


async def drain(person: Person) -> list[str]:
    """Everything new about the waitlist in the person's chat (roster notices left out)."""
    texts = []
    while await _more(person):
        texts.append((await person.reply())["text"])
    return [t for t in texts if "ALM-" in t or t.startswith("Wachtlijst")]


async def _more(person: Person) -> bool:
    try:
        await person.standin.expect_silence(person.user_id, seconds=0.2)
    except AssertionError:
        return True
    return False


async def test_norm_warnings_reach_the_lead_once(team, put_on_list, clock, bot_app):
    # Referred 6 October: 7 weeks on Tuesday 24 November, 9 weeks on Tuesday 8 December.
    await put_on_list("ALM-0600", date(2026, 10, 6), 2, 2)
    sara = team["Sara"]
    await run_tick(bot_app)
    assert await drain(sara) == []

    clock.advance(timedelta(hours=23))  # Tuesday 08:00
    await run_tick(bot_app)
    texts = await drain(sara)
    assert "ALM-0600 heeft 7 weken (49 dagen) gewacht; de norm is 9 weken." in texts
    digest = next(t for t in texts if t.startswith("Wachtlijst vanochtend"))
    assert "7 weken of langer wachtend: ALM-0600 (7 wk)" in digest
    assert "Voorstel: Anna de Vries heeft ruimte voor nog 10; eerste in de rij is ALM-0600." in (
        digest
    )
    await run_tick(bot_app)
    assert await drain(sara) == []

    clock.advance(timedelta(days=14))  # Tuesday 8 December 08:00
    await run_tick(bot_app)
    texts = await drain(sara)
    assert any(
        t.startswith("ALM-0600 heeft 9 weken (63 dagen) gewacht: de norm van 9 weken is voorbij.")
        for t in texts
    )
    assert not any("7 weken;" in t for t in texts)


async def test_a_referral_without_a_decision_after_a_day_is_flagged(
    team, put_on_list, clock, bot_app
):
    await put_on_list("ALM-0700", TODAY, 3, 3, accepted=False)
    sara = team["Sara"]
    clock.advance(timedelta(hours=24, minutes=1))
    await run_tick(bot_app)
    texts = await drain(sara)
    flagged = next(
        m for m in sara.standin.bot_messages(sara.user_id) if m["text"].startswith("Aanmelding")
    )
    assert flagged["text"] == (
        "Aanmelding ALM-0700 wacht al meer dan 24 uur op een besluit tot aanname."
    )
    assert flagged["text"] in texts
    await sara.press(flagged, buttons(flagged)["Niet aannemen"])
    assert (await sara.reply())["text"].endswith("ALM-0700 is niet aangenomen op de wachtlijst.")
    assert await sara.ask("/waitlist") == "Er staat niemand op de wachtlijst."


async def test_acute_safety_does_not_wait(team):
    sara, eva = team["Sara"], team["Eva"]
    await sara.ask("/waitlist_add ALM-0800")
    for answer in ("Vandaag", "-", "2", "1", "huiselijk geweld of acute crisis"):
        if answer == "-":
            await step(sara, text=answer)
        else:
            await step(sara, press=answer)
    saved = await step(sara, press="Eva Mulder (bureaudienst vandaag)")
    assert saved["text"].startswith("ALM-0800 wacht niet: het gezin is aangenomen, staat vooraan")
    alert = await eva.reply()  # bureaudienst: the coach on duty in office hours
    assert alert["text"].startswith("🚨 CRISISMELDING ALM-0800\nNieuwe aanmelding met acute")
    listed = await sara.ask("/waitlist")
    assert "acute onveiligheid: wacht niet, direct intake" in listed


async def test_first_start_tells_the_real_waits_in_one_message(team, put_on_list, bot_app):
    """Eight families already past a threshold when the bot first starts: one message,
    each family with how long it has really waited (not the threshold it passed)."""
    waits = {"ALM-10613": 80, "ALM-10614": 61, "ALM-10615": 50, "ALM-10616": 63}
    waits |= {"ALM-10617": 70, "ALM-10618": 90, "ALM-10619": 56, "ALM-10620": 100}
    for code, days in waits.items():
        await put_on_list(code, TODAY - timedelta(days=days), 2, 2)
    sara = team["Sara"]
    await run_tick(bot_app)
    texts = await drain(sara)
    told = [t for t in texts if "gewacht" in t]
    assert len(told) == 1
    lines = told[0].split("\n")
    assert lines[0] == "8 gezinnen op de wachtlijst zijn over een wachtgrens heen:"
    assert "• ALM-10613 heeft 11 weken (80 dagen) gewacht: de norm van 9 weken is voorbij." in (
        lines
    )
    assert "• ALM-10614 heeft 8 weken (61 dagen) gewacht; de norm is 9 weken." in lines
    assert "• ALM-10615 heeft 7 weken (50 dagen) gewacht; de norm is 9 weken." in lines
    assert lines[1].startswith("• ALM-10620 heeft 14 weken (100 dagen)")  # longest wait first
    assert lines[-1] == "Plan de intake of laat gezin en verwijzer weten wat er gaat gebeuren."
    await run_tick(bot_app)
    assert [t for t in await drain(sara) if "gewacht" in t] == []


async def test_one_family_and_one_day_read_in_the_singular(team, put_on_list):
    await put_on_list("ALM-0417", TODAY - timedelta(days=1), 2, 2)
    listed = await team["Sara"].ask("/waitlist")
    assert listed.startswith(
        "Wachtlijst, 1 gezin, eerste in de rij bovenaan:\n"
        "1. ALM-0417, 1 dag wachtend, contactpersoon: Eva Mulder\n"
    )
    place = await team["Sara"].ask("/waitlist ALM-0417")
    assert place.startswith("ALM-0417 staat op plaats 1 van 1 op de wachtlijst en wacht 1 dag")
