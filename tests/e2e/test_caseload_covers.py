"""/caseload and /covers through the Bot API stand-in, in Dutch and English."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.models import (
    AbsenceKind,
    AbsenceRecord,
    AuditEvent,
    Case,
    CaseCover,
    CoverStatus,
    Phase,
    Role,
)
from tests.e2e.conftest import coach_named
from tests.e2e.team_setup import add_family


async def _limit(sessionmaker, name: str, limit: int, fte: float = 1.0) -> None:
    coach = await coach_named(sessionmaker, name)
    async with sessionmaker() as session:
        stored = await session.get(type(coach), coach.id)
        stored.caseload_limit, stored.fte = limit, fte
        await session.commit()


async def _absent(sessionmaker, clock, name: str, kind=AbsenceKind.SICK, days=None) -> int:
    coach = await coach_named(sessionmaker, name)
    async with sessionmaker() as session:
        record = AbsenceRecord(
            coach_id=coach.id,
            kind=kind,
            start=clock.now() - timedelta(hours=1),
            end=None if days is None else clock.now() + timedelta(days=days),
            created_at=clock.now(),
        )
        session.add(record)
        await session.commit()
        return record.id


async def test_caseload_most_room_first_in_dutch_and_english(member, sessionmaker):
    anna = await member("Anna de Vries")
    bram = await member("Bram Jansen", language="en")
    await member("Sara Bakker", role=Role.TEAMLEAD)  # no families: not listed
    await _limit(sessionmaker, "Anna de Vries", 3, fte=0.4)
    await _limit(sessionmaker, "Bram Jansen", 6, fte=0.6)
    for code in ("GZ-1", "GZ-2", "GZ-3", "GZ-4"):
        await add_family(sessionmaker, code, "Anna de Vries")
    await add_family(sessionmaker, "GZ-5", "Bram Jansen")
    # A closed case no longer counts.
    async with sessionmaker() as session:
        session.add(
            Case(
                code="GZ-OLD",
                coach_id=(await coach_named(sessionmaker, "Bram Jansen")).id,
                phase=Phase.AFSLUITING,
                end_date=date(2026, 1, 1),
            )
        )
        await session.commit()

    assert await anna.ask("/caseload") == (
        "Caseload per coach, meeste ruimte eerst:\n"
        "Bram Jansen: 1 van 6 gezinnen, ruimte voor 5 (0,6 fte)\n"
        "Anna de Vries: 4 van 3 gezinnen, 1 boven de limiet (0,4 fte)\n"
        "\n"
        "Ruimte in het team: 5 gezinnen."
    )
    text = await bram.ask("/caseload")
    assert "Bram Jansen: 1 of 6 families, room for 5 (0.6 fte)" in text
    assert "Anna de Vries: 4 of 3 families, 1 over the limit (0.4 fte)" in text
    assert "GZ-" not in text


async def test_caseload_is_private_only(standin, member, runtime):
    # The team's own group: any other group the bot leaves without a word.
    runtime.config = runtime.config.model_copy(update={"team_chat_id": -100778})
    group = standin.add_group(-100778, "Team")["id"]
    anna = await member("Anna de Vries")
    await anna.say("/caseload", chat_id=group)
    assert (await anna.reply(group))["text"].startswith(
        "Dat commando werkt alleen in een privéchat"
    )


async def _covered_team(member, sessionmaker, clock):
    """Anna is sick: GZ-1 covered by Cem (accepted request), GZ-2 by its fixed backup Bram,
    GZ-3 and GZ-4 uncovered (GZ-4's backup Dirk is on leave himself)."""
    people = {
        "anna": await member("Anna de Vries"),
        "bram": await member("Bram Jansen"),
        "cem": await member("Cem Yilmaz", language="en"),
        "dirk": await member("Dirk Smit"),
        "sara": await member("Sara Bakker", role=Role.TEAMLEAD),
        "lead_en": await member("Lars Visser", role=Role.TEAMLEAD, language="en"),
    }
    one = await add_family(sessionmaker, "GZ-1", "Anna de Vries")
    await add_family(sessionmaker, "GZ-2", "Anna de Vries", backup="Bram Jansen")
    await add_family(sessionmaker, "GZ-3", "Anna de Vries")
    await add_family(sessionmaker, "GZ-4", "Anna de Vries", backup="Dirk Smit")
    await add_family(sessionmaker, "GZ-9", "Bram Jansen")
    absence = await _absent(sessionmaker, clock, "Anna de Vries")
    await _absent(sessionmaker, clock, "Dirk Smit", kind=AbsenceKind.LEAVE, days=7)
    cem = await coach_named(sessionmaker, "Cem Yilmaz")
    async with sessionmaker() as session:
        session.add(
            CaseCover(
                case_id=one.id,
                absence_id=absence,
                coach_id=cem.id,
                status=CoverStatus.ACCEPTED,
                asked_at=clock.now(),
                answered_at=clock.now(),
            )
        )
        await session.commit()
    return people


async def test_covers_for_a_team_lead_lists_the_uncovered_families(member, sessionmaker, clock):
    people = await _covered_team(member, sessionmaker, clock)
    assert await people["sara"].ask("/covers") == (
        "Wie neemt nu voor wie waar, open gaten eerst.\n"
        "2 gezinnen hebben niemand die de coach vervangt.\n"
        "\n"
        "Anna de Vries: ziek sinds ma 23 nov, tot nader bericht\n"
        "  NIET GEDEKT: GZ-3, GZ-4\n"
        "  Cem Yilmaz (back-upverzoek aangenomen): GZ-1\n"
        "  Bram Jansen (vaste back-up): GZ-2\n"
        "\n"
        "Dirk Smit: met verlof sinds ma 23 nov, terug ma 30 nov\n"
        "  geen gezinnen"
    )
    english = await people["lead_en"].ask("/covers")
    assert "2 families have nobody to stand in for their coach." in english
    assert "  NOT COVERED: GZ-3, GZ-4" in english
    assert "  Cem Yilmaz (accepted backup request): GZ-1" in english
    async with sessionmaker() as session:
        views = list(
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "covers.view"))
        )
    assert len(views) == 2


async def test_covers_for_a_coach_shows_counts_not_other_families_codes(
    member, sessionmaker, clock
):
    people = await _covered_team(member, sessionmaker, clock)
    bram = await people["bram"].ask("/covers")
    assert "  NIET GEDEKT: 2 gezinnen" in bram
    assert "  Cem Yilmaz (back-upverzoek aangenomen): 1 gezin" in bram
    # Bram stands in for GZ-2: that family is his to see.
    assert "  Bram Jansen (vaste back-up): GZ-2" in bram
    for code in ("GZ-1", "GZ-3", "GZ-4"):
        assert code not in bram
    cem = await people["cem"].ask("/covers")
    assert "  NOT COVERED: 2 families" in cem
    assert "  Cem Yilmaz (accepted backup request): GZ-1" in cem
    assert "  Bram Jansen (fixed back-up): 1 family" in cem
    assert "GZ-2" not in cem and "GZ-3" not in cem


async def test_covers_when_nobody_is_absent(member):
    anna = await member("Anna de Vries", language="en")
    assert await anna.ask("/covers") == "Nobody is absent now: every family has its own coach."


async def test_an_absence_that_has_ended_is_not_shown(member, sessionmaker, clock):
    anna = await member("Anna de Vries")
    coach = await coach_named(sessionmaker, "Anna de Vries")
    async with sessionmaker() as session:
        session.add(
            AbsenceRecord(
                coach_id=coach.id,
                kind=AbsenceKind.SICK,
                start=datetime(2026, 11, 1, tzinfo=UTC),
                end=datetime(2026, 11, 20, tzinfo=UTC),
                created_at=clock.now(),
            )
        )
        await session.commit()
    assert await anna.ask("/covers") == ("Niemand is nu afwezig: elk gezin heeft zijn eigen coach.")


async def test_back_summary_tells_the_same_covers_as_covers(member, sessionmaker, clock):
    """What /covers showed during the absence is what the returning coach reads: a fixed
    backup counts in both, a fixed backup who turned the request down in neither."""
    people = await _covered_team(member, sessionmaker, clock)
    five = await add_family(sessionmaker, "GZ-5", "Anna de Vries", backup="Cem Yilmaz")
    anna_id = (await coach_named(sessionmaker, "Anna de Vries")).id
    cem = await coach_named(sessionmaker, "Cem Yilmaz")
    async with sessionmaker() as session:
        absence = await session.scalar(
            select(AbsenceRecord.id).where(AbsenceRecord.coach_id == anna_id)
        )
        session.add(
            CaseCover(
                case_id=five.id,
                absence_id=absence,
                coach_id=cem.id,
                status=CoverStatus.DECLINED,
                asked_at=clock.now(),
                answered_at=clock.now(),
            )
        )
        await session.commit()
    covers = await people["sara"].ask("/covers")
    assert "  NIET GEDEKT: GZ-3, GZ-4, GZ-5\n" in covers
    assert "  Cem Yilmaz (back-upverzoek aangenomen): GZ-1\n" in covers
    assert "  Bram Jansen (vaste back-up): GZ-2\n" in covers

    clock.advance(timedelta(days=1))
    assert (await people["anna"].ask("/back")).startswith("Welkom terug, Anna de Vries.")
    summary = (await people["anna"].reply())["text"]
    assert "GZ-1\nWaargenomen door Cem Yilmaz.\n" in summary
    assert "GZ-2\nWaargenomen door Bram Jansen (vaste back-up).\n" in summary
    # Dirk, GZ-4's backup, was on leave the whole time; Cem said no to GZ-5.
    for code in ("GZ-3", "GZ-4", "GZ-5"):
        assert f"{code}\nNiemand heeft dit gezin waargenomen.\n" in summary


async def test_caseload_gives_an_absent_coach_no_room(member, sessionmaker, clock):
    anna = await member("Anna de Vries")
    await member("Bram Jansen")
    await _limit(sessionmaker, "Anna de Vries", 6)
    await _limit(sessionmaker, "Bram Jansen", 6)
    await add_family(sessionmaker, "GZ-1", "Anna de Vries")
    await add_family(sessionmaker, "GZ-2", "Anna de Vries")
    await add_family(sessionmaker, "GZ-3", "Bram Jansen")
    await _absent(sessionmaker, clock, "Anna de Vries")
    assert await anna.ask("/caseload") == (
        "Caseload per coach, meeste ruimte eerst:\n"
        "Bram Jansen: 1 van 6 gezinnen, ruimte voor 5 (1,0 fte)\n"
        "Anna de Vries: 2 van 6 gezinnen, nu geen ruimte: ziek (1,0 fte)\n"
        "\n"
        "Ruimte in het team: 5 gezinnen."
    )
