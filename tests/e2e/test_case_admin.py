"""Team lead tools through the stand-in: /assign (with the over-limit confirmation), /phase
and /evaluation, in Dutch and English. Refusals change nothing and are audited."""

from datetime import date

from sqlalchemy import select

from bot.models import AuditEvent, Case, Coach, Phase, Role
from tests.e2e.harness import buttons
from tests.e2e.team_setup import add_family


async def _id(sessionmaker, name: str) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(Coach.id).where(Coach.name == name))


async def _case(sessionmaker, code: str) -> Case:
    async with sessionmaker() as session:
        return await session.scalar(select(Case).where(Case.code == code))


async def _audit(sessionmaker, action: str) -> list[AuditEvent]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


async def _team(member, sessionmaker):
    people = {
        "sara": await member("Sara Bakker", role=Role.TEAMLEAD),
        "lars": await member("Lars Visser", role=Role.TEAMLEAD, language="en"),
        "anna": await member("Anna de Vries"),
        "bram": await member("Bram Jansen", language="en"),
        "cem": await member("Cem Yilmaz"),
        "zoe": await member("Zoë Öztürk"),
    }
    await add_family(sessionmaker, "ALM-0417", "Anna de Vries", backup="Cem Yilmaz")
    return people


async def test_assign_tells_old_and_new_coach(member, sessionmaker):
    p = await _team(member, sessionmaker)
    assert await p["sara"].ask("/assign alm-0417 bram zoe") == (
        "Klaar: ALM-0417 heeft nu coach Bram Jansen en back-up Zoë Öztürk."
    )
    assert (await p["bram"].reply())["text"] == (
        "Sara Bakker has made you the coach of family ALM-0417."
    )
    assert (await p["anna"].reply())["text"] == (
        "Sara Bakker heeft gezin ALM-0417 overgedragen aan Bram Jansen."
    )
    assert (await p["zoe"].reply())["text"] == (
        "Sara Bakker heeft je back-up gemaakt van gezin ALM-0417."
    )
    case = await _case(sessionmaker, "ALM-0417")
    assert case.coach_id == await _id(sessionmaker, "Bram Jansen")
    assert case.backup_coach_id == await _id(sessionmaker, "Zoë Öztürk")
    [event] = await _audit(sessionmaker, "case.assign")
    assert (event.outcome, event.subject) == ("assigned", "ALM-0417")
    assert event.detail == "coach Anna de Vries -> Bram Jansen; backup Cem Yilmaz -> Zoë Öztürk"


async def test_assign_with_full_names_in_english_keeps_the_backup(member, sessionmaker):
    p = await _team(member, sessionmaker)
    assert await p["lars"].ask("/assign ALM-0417 Bram Jansen") == (
        "Done: ALM-0417 now has coach Bram Jansen and back-up Cem Yilmaz."
    )
    assert await p["lars"].ask("/assign ALM-0417 Anna de Vries Bram Jansen") == (
        "Done: ALM-0417 now has coach Anna de Vries and back-up Bram Jansen."
    )


async def test_above_the_limit_needs_the_confirm_button(member, sessionmaker):
    p = await _team(member, sessionmaker)
    bram = await _id(sessionmaker, "Bram Jansen")
    async with sessionmaker() as session:
        (await session.get(Coach, bram)).caseload_limit = 1
        await session.commit()
    await add_family(sessionmaker, "ALM-0001", "Bram Jansen")

    await p["sara"].say("/assign ALM-0417 Bram")
    question = await p["sara"].reply()
    assert question["text"] == (
        "Bram Jansen heeft al 1 gezin, bij een limiet van 1. "
        "ALM-0417 toch aan Bram Jansen toewijzen?"
    )
    assert list(buttons(question)) == ["Toch toewijzen", "Annuleren"]
    assert (await _case(sessionmaker, "ALM-0417")).coach_id != bram

    await p["sara"].press(question, buttons(question)["Toch toewijzen"])
    done = await p["sara"].reply()
    assert done["message_id"] == question["message_id"]
    assert done["text"] == "Klaar: ALM-0417 heeft nu coach Bram Jansen en back-up Cem Yilmaz."
    assert (await _case(sessionmaker, "ALM-0417")).coach_id == bram
    assert [e.outcome for e in await _audit(sessionmaker, "case.assign")] == [
        "needs_confirmation",
        "assigned_over_limit",
    ]


async def test_cancel_changes_nothing(member, sessionmaker):
    p = await _team(member, sessionmaker)
    anna = await _id(sessionmaker, "Anna de Vries")
    async with sessionmaker() as session:
        (await session.get(Coach, await _id(sessionmaker, "Cem Yilmaz"))).caseload_limit = 1
        await session.commit()
    await add_family(sessionmaker, "ALM-0002", "Cem Yilmaz")
    await p["lars"].say("/assign ALM-0417 Cem Bram")
    question = await p["lars"].reply()
    assert question["text"].startswith("Cem Yilmaz already has 1 family, with a limit of 1.")
    await p["lars"].press(question, buttons(question)["Cancel"])
    assert (await p["lars"].reply())["text"] == "Cancelled; nothing was changed."
    assert (await _case(sessionmaker, "ALM-0417")).coach_id == anna


async def test_the_button_checks_the_role_again_when_pressed(member, sessionmaker, standin):
    p = await _team(member, sessionmaker)
    async with sessionmaker() as session:
        (await session.get(Coach, await _id(sessionmaker, "Cem Yilmaz"))).caseload_limit = 1
        await session.commit()
    await add_family(sessionmaker, "ALM-0002", "Cem Yilmaz")
    await p["sara"].say("/assign ALM-0417 Cem Bram")
    question = await p["sara"].reply()
    async with sessionmaker() as session:
        (await session.get(Coach, await _id(sessionmaker, "Sara Bakker"))).role = Role.COACH
        await session.commit()
    await p["sara"].press(question, buttons(question)["Toch toewijzen"])
    assert standin.callback_answers[-1]["text"] == (
        "Dat commando is niet beschikbaar voor jouw rol."
    )
    assert (await _case(sessionmaker, "ALM-0417")).coach_id == await _id(
        sessionmaker, "Anna de Vries"
    )


async def test_unknown_and_ambiguous_names_and_codes(member, sessionmaker):
    p = await _team(member, sessionmaker)
    await member("Anna Bos")
    await add_family(sessionmaker, "ALM-0418", "Anna de Vries")
    sara, lars = p["sara"], p["lars"]
    assert await sara.ask("/assign ALM-0417 Xander") == (
        "Ik ken geen actief teamlid met de naam 'Xander'."
    )
    assert await lars.ask("/assign ALM-0417 Anna") == (
        "'Anna' could be several people: Anna Bos, Anna de Vries. Give the full name."
    )
    assert await sara.ask("/assign ALM-04 Bram") == (
        "'ALM-04' past bij meerdere casuscodes: ALM-0417, ALM-0418. Geef de hele code."
    )
    assert await lars.ask("/assign ZZZ-1 Bram") == (
        "I don't know a family with case code 'ZZZ-1'; nothing was changed."
    )
    assert await sara.ask("/assign ALM-0417 Bram Bram") == (
        "Bram Jansen kan niet zowel coach als back-up van een gezin zijn; er is niets gewijzigd."
    )
    assert (await sara.ask("/assign ALM-0417")).startswith("Gebruik: /assign <casuscode>")
    assert (await _case(sessionmaker, "ALM-0417")).coach_id == await _id(
        sessionmaker, "Anna de Vries"
    )
    refused = await _audit(sessionmaker, "case.assign")
    assert [e.outcome for e in refused] == ["refused"] * 5


async def test_a_coach_may_not_assign(member, sessionmaker):
    p = await _team(member, sessionmaker)
    assert await p["anna"].ask("/assign ALM-0417 Bram") == (
        "Dat commando is niet beschikbaar voor jouw rol."
    )
    assert await p["bram"].ask("/phase ALM-0417 plan") == (
        "That command is not available for your role."
    )


async def test_phase_in_dutch_and_english_and_closing(member, sessionmaker):
    p = await _team(member, sessionmaker)
    assert await p["sara"].ask("/phase ALM-0417 evaluatie") == (
        "Klaar: ALM-0417 is nu in de fase evaluatie; dat was uitvoering."
    )
    assert await p["lars"].ask("/phase ALM-0417 closing") == (
        "Done: ALM-0417 is now in phase afsluiting (closing); it was evaluatie (evaluation). "
        "The case is closed as of Mon 23 Nov 2026."
    )
    case = await _case(sessionmaker, "ALM-0417")
    assert (case.phase, case.end_date) == (Phase.AFSLUITING, date(2026, 11, 23))
    assert await p["sara"].ask("/phase ALM-0417 klaar") == (
        "'klaar' is geen fase. Fasen: aanmelding, intake, plan, uitvoering, evaluatie, afsluiting."
    )
    assert [e.outcome for e in await _audit(sessionmaker, "case.phase")] == [
        "changed",
        "changed",
        "refused",
    ]


async def test_evaluation_date(member, sessionmaker):
    p = await _team(member, sessionmaker)
    assert await p["sara"].ask("/evaluation ALM-0417 15-12-2026") == (
        "Klaar: de volgende evaluatie van ALM-0417 is op di 15 dec 2026."
    )
    assert await p["lars"].ask("/evaluation ALM-0417 2027-01-05") == (
        "Done: the next evaluation of ALM-0417 is on Tue 5 Jan 2027."
    )
    assert await p["sara"].ask("/evaluation ALM-0417 31-02-2027") == (
        "'31-02-2027' is geen datum die ik ken. Schrijf bijvoorbeeld 2026-12-15 of 15-12-2026."
    )
    assert await p["lars"].ask("/evaluation ALM-0417 2026-11-01") == (
        "An evaluation date cannot be in the past; nothing was changed."
    )
    assert (await _case(sessionmaker, "ALM-0417")).next_evaluation == date(2027, 1, 5)
    assert [e.outcome for e in await _audit(sessionmaker, "case.evaluation")] == [
        "changed",
        "changed",
        "refused",
        "refused",
    ]
