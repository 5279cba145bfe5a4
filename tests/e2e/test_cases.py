"""/case, its buttons, /contact and /mycases through the Bot API stand-in, as coaches use them."""

from datetime import date

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import AbsenceKind, AbsenceRecord, AuditEvent, Case, CaseContact, Role
from tests.e2e.case_setup import add_alert, add_case, add_cover
from tests.e2e.conftest import coach_named
from tests.e2e.harness import buttons
from tests.e2e.team_setup import enrol_all, week_duties

FULL_NL = (
    "📁 GZ-1042\n"
    "Coach: Anna de Vries (via mij bereikbaar)\n"
    "Back-up: Bram Jansen (via mij bereikbaar)\n"
    "Nu in dienst, Bureaudienst: Eva Mulder\n"
    "Fase: evaluatie\n"
    "Gestart: 2 mrt 2026\n"
    "Volgende evaluatie: 20 nov 2026, VERLOPEN\n"
    "Veiligheid: Veilig Thuis betrokken (12 okt 2026)\n"
    "Verwijzer: Wijkagent Oost\n"
    "Laatste contact: 17 nov 2026"
)
CONTACT_ONLY_NL = (
    "📁 GZ-1042: wie je kunt benaderen\n"
    "Coach: Anna de Vries (via mij bereikbaar)\n"
    "Back-up: Bram Jansen (via mij bereikbaar)\n"
    "Nu in dienst, Bureaudienst: Eva Mulder\n"
    "\n"
    "Je ziet alleen wie je kunt benaderen. De gegevens van het gezin zijn voor de eigen coach, "
    "de back-ups en de teamleiders."
)


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate({"duties": week_duties()})


@pytest.fixture
async def team(member, sessionmaker):
    people = await enrol_all(
        member,
        [
            ("Anna de Vries", Role.COACH),
            ("Bram Jansen", Role.COACH),
            ("Cem Yilmaz", Role.COACH),
            ("Eva Mulder", Role.COACH),
            ("Sara Bakker", Role.TEAMLEAD),
        ],
    )
    people["case"] = await add_case(sessionmaker, "GZ-1042", "Anna de Vries", "Bram Jansen")
    return people


async def audit_trail(sessionmaker, action: str) -> list[tuple[str, str]]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
        return [(row.subject, row.outcome) for row in rows]


async def test_own_coach_sees_the_full_card_in_dutch(team, sessionmaker):
    assert await team["Anna"].ask("/case gz-1042") == FULL_NL
    assert await audit_trail(sessionmaker, "case.card") == [("GZ-1042", "full")]


async def test_other_coach_is_refused_the_card_but_sees_whom_to_call(team, sessionmaker):
    assert await team["Cem"].ask("/case GZ-1042") == CONTACT_ONLY_NL
    assert await audit_trail(sessionmaker, "case.card") == [("GZ-1042", "contact_only")]


async def test_other_coach_in_english(team, member, sessionmaker):
    dirk = await member("Dirk Smit", language="en")
    assert await dirk.ask("/case GZ-1042") == (
        "📁 GZ-1042: whom to contact\n"
        "Coach: Anna de Vries (reachable through me)\n"
        "Backup: Bram Jansen (reachable through me)\n"
        "On duty now, Bureaudienst: Eva Mulder\n"
        "\n"
        "You only see whom to contact. The family's details are for its coach, its backups and "
        "the team leads."
    )


async def test_team_lead_in_english(team, sessionmaker):
    await team["Sara"].ask("/language en")
    assert await team["Sara"].ask("/case GZ-1042") == (
        "📁 GZ-1042\n"
        "Coach: Anna de Vries (reachable through me)\n"
        "Backup: Bram Jansen (reachable through me)\n"
        "On duty now, Bureaudienst: Eva Mulder\n"
        "Phase: evaluation\n"
        "Started: 2 Mar 2026\n"
        "Next evaluation: 20 Nov 2026, OVERDUE\n"
        "Safety: Veilig Thuis involved (12 Oct 2026)\n"
        "Referred by: Wijkagent Oost\n"
        "Last contact: 17 Nov 2026"
    )


async def test_absent_coach_and_who_covers(team, sessionmaker, clock):
    anna = await coach_named(sessionmaker, "Anna de Vries")
    async with sessionmaker() as session:
        session.add(
            AbsenceRecord(
                coach_id=anna.id, kind=AbsenceKind.SICK, start=clock.now(), created_at=clock.now()
            )
        )
        await session.commit()
    text = await team["Cem"].ask("/case GZ-1042")
    assert "Coach: Anna de Vries (afwezig)\n" in text
    assert "Niemand neemt dit gezin waar zolang de coach afwezig is." in text

    await add_cover(sessionmaker, team["case"], "Cem Yilmaz")
    text = await team["Cem"].ask("/case GZ-1042")
    assert "Waarnemer tijdens afwezigheid: Cem Yilmaz (via mij bereikbaar)\n" in text
    # Covering, Cem now sees the whole card.
    assert "Verwijzer: Wijkagent Oost" in text


async def test_covering_coach_sees_the_full_card(team, sessionmaker):
    await add_cover(sessionmaker, team["case"], "Cem Yilmaz")
    text = await team["Cem"].ask("/case GZ-1042")
    assert text.startswith("📁 GZ-1042\n") and "Veilig Thuis betrokken (12 okt 2026)" in text


async def test_alert_handler_sees_the_full_card_until_resolved(team, sessionmaker):
    await add_alert(sessionmaker, team["case"], taken_by="Eva Mulder", sent_to=None)
    assert "Verwijzer: Wijkagent Oost" in await team["Eva"].ask("/case GZ-1042")
    async with sessionmaker() as session:
        from bot.models import Alert, AlertStatus

        alert = await session.scalar(select(Alert))
        alert.status = AlertStatus.RESOLVED
        await session.commit()
    assert await team["Eva"].ask("/case GZ-1042") == CONTACT_ONLY_NL


async def test_ambiguous_prefix_buttons_then_card(team, sessionmaker):
    await add_case(sessionmaker, "GZ-1077", "Cem Yilmaz")
    anna = team["Anna"]
    await anna.say("/case gz-10")
    question = await anna.reply()
    assert question["text"] == "Meerdere gezinnen passen bij 'gz-10'. Welk bedoel je?"
    assert list(buttons(question)) == ["GZ-1042", "GZ-1077"]

    await anna.press(question, buttons(question)["GZ-1042"])
    assert (await anna.reply())["text"] == FULL_NL
    # Not hers: only whom to contact, however she got there.
    await anna.press(question, buttons(question)["GZ-1077"])
    card = (await anna.reply())["text"]
    assert card.startswith("📁 GZ-1077: wie je kunt benaderen\nCoach: Cem Yilmaz")
    assert "Verwijzer" not in card and "Wijkagent" not in card
    assert await audit_trail(sessionmaker, "case.lookup") == [("gz-10", "ambiguous")]
    assert await audit_trail(sessionmaker, "case.card") == [
        ("GZ-1042", "full"),
        ("GZ-1077", "contact_only"),
    ]


async def test_a_stale_button_checks_access_again(team, sessionmaker):
    await add_case(sessionmaker, "GZ-1077", "Cem Yilmaz")
    await add_cover(sessionmaker, team["case"], "Cem Yilmaz")
    cem = team["Cem"]
    await cem.say("/case GZ-10")
    question = await cem.reply()
    async with sessionmaker() as session:
        from bot.models import CaseCover, CoverStatus

        cover = await session.scalar(select(CaseCover))
        cover.status = CoverStatus.RELEASED
        await session.commit()
    await cem.press(question, buttons(question)["GZ-1042"])
    assert (await cem.reply())["text"] == CONTACT_ONLY_NL


async def test_not_found_and_usage(team, sessionmaker):
    anna = team["Anna"]
    assert await anna.ask("/case XY-9") == "Geen gezin met een code als 'XY-9'."
    assert (await anna.ask("/case")).startswith("Welk gezin? Stuur /case met de casuscode")
    assert await audit_trail(sessionmaker, "case.lookup") == [("XY-9", "not_found")]


async def test_contact_from_the_field(team, sessionmaker):
    bram = team["Bram"]
    assert await bram.ask("/contact gz-1042 huisbezoek, rustig") == (
        "Contact met GZ-1042 vastgelegd voor vandaag, 23 nov 2026."
    )
    async with sessionmaker() as session:
        case = await session.scalar(select(Case).where(Case.code == "GZ-1042"))
        contact = await session.scalar(select(CaseContact))
    assert case.last_contact == date(2026, 11, 23)
    assert (contact.on, contact.note) == (date(2026, 11, 23), "huisbezoek, rustig")
    assert await audit_trail(sessionmaker, "case.contact") == [("GZ-1042", "ok")]
    assert "Laatste contact: 23 nov 2026" in await team["Anna"].ask("/case GZ-1042")


async def test_contact_refused_for_another_coach_s_family(team, sessionmaker, member):
    assert await team["Cem"].ask("/contact GZ-1042") == (
        "Alleen de eigen coach van het gezin, de back-ups en de teamleiders kunnen een contact "
        "vastleggen. Er is niets vastgelegd."
    )
    dirk = await member("Dirk Smit", language="en")
    assert await dirk.ask("/contact GZ-1042") == (
        "Only the family's coach, its backups and the team leads can record a contact. "
        "Nothing was recorded."
    )
    async with sessionmaker() as session:
        assert await session.scalar(select(CaseContact)) is None
        case = await session.scalar(select(Case).where(Case.code == "GZ-1042"))
    assert case.last_contact == date(2026, 11, 17)
    assert await audit_trail(sessionmaker, "case.contact") == [
        ("GZ-1042", "refused"),
        ("GZ-1042", "refused"),
    ]


async def test_contact_in_english_and_its_mistakes(team, sessionmaker):
    await add_case(sessionmaker, "GZ-1077", "Anna de Vries")
    anna = team["Anna"]
    await anna.ask("/language en")
    assert await anna.ask("/contact GZ-10") == (
        "Several families match 'GZ-10': GZ-1042, GZ-1077. Send the whole code."
    )
    assert await anna.ask("/contact GZ-1077") == (
        "Contact with GZ-1077 recorded for today, 23 Nov 2026."
    )
    assert await anna.ask("/contact NOPE-1") == "No family with a code like 'NOPE-1'."
    assert (await anna.ask("/contact")).startswith("Which family did you have contact with?")
    too_long = "x" * 201
    assert await anna.ask(f"/contact GZ-1042 {too_long}") == (
        "The note is too long (at most 200 characters). Nothing was recorded."
    )


async def test_my_cases_in_dutch_and_english(team, sessionmaker):
    await add_case(sessionmaker, "GZ-2001", "Bram Jansen", "Anna de Vries")
    await add_case(sessionmaker, "GZ-0999", "Cem Yilmaz")  # not Anna's
    await team["Anna"].ask("/contact GZ-2001")
    assert await team["Anna"].ask("/mycases") == (
        "Je gezinnen (2):\n"
        "⚠️ GZ-1042 · evaluatie · evaluatie 20 nov 2026, VERLOPEN · laatste contact 17 nov 2026\n"
        "⚠️ GZ-2001 (back-up) · evaluatie · evaluatie 20 nov 2026, VERLOPEN · "
        "laatste contact 23 nov 2026\n"
        "\n"
        "⚠️ = evaluatie verlopen of al een tijd geen contact. /case CODE toont de kaart."
    )
    await team["Eva"].ask("/language en")
    assert await team["Eva"].ask("/mycases") == "You have no families as coach, backup or cover."
