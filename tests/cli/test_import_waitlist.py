"""`achtervang import waitlist`: the team's existing list, all rows good or nothing changes."""

from datetime import date

from sqlalchemy import select

from bot.db import make_sessionmaker
from bot.models import Alert, Coach
from bot.models.waitlist import WaitlistEntry
from bot.models.waitlist_terms import Concern, EntryStatus

COACHES = "name;role\nAnna de Vries;coach\nSara Bakker;teamlead\n"
WAITLIST = (
    "code;referral_date;referrer;complexity;cost_band;concern;contact;accepted\n"
    "alm-0601;06-10-2026;Wijkteam Noord;3;2;concern;Anna de Vries;ja\n"
    "ALM-0602;2026-11-20;;5;4;;;nee\n"
)


async def test_a_good_file_imports_once(cli, engine, tmp_path):
    (tmp_path / "coaches.csv").write_text(COACHES)
    (tmp_path / "waitlist.csv").write_text(WAITLIST, encoding="utf-8-sig")
    assert (await cli("import", "coaches", "coaches.csv")).code == 0
    first = await cli("import", "waitlist", "waitlist.csv")
    assert first.code == 0, first.err
    assert first.out.strip() == "Geïmporteerd: 2 nieuw, 0 gewijzigd, 0 ongewijzigd."
    again = await cli("import", "waitlist", "waitlist.csv")
    assert again.out.strip() == "Geïmporteerd: 0 nieuw, 0 gewijzigd, 2 ongewijzigd."

    async with make_sessionmaker(engine)() as session:
        entries = {e.code: e for e in await session.scalars(select(WaitlistEntry))}
    first_entry, second = entries["ALM-0601"], entries["ALM-0602"]
    assert first_entry.referral_date == date(2026, 10, 6)
    assert first_entry.concern == Concern.CONCERN and first_entry.status == EntryStatus.WAITING
    assert first_entry.contact_coach_id is not None
    assert second.status == EntryStatus.REFERRED and second.referrer is None


async def test_bad_rows_are_all_reported_and_nothing_is_imported(cli, engine, tmp_path):
    (tmp_path / "waitlist.csv").write_text(
        "code,referral_date,complexity,cost_band,concern,contact\n"
        "ALM-0601,2026-10-06,7,2,,\n"
        "ALM-0602,2099-01-01,3,2,zorgen,Zoë\n"
    )
    result = await cli("import", "waitlist", "waitlist.csv")
    assert result.code == 1
    assert result.err.splitlines() == [
        "waitlist.csv: regel 2, complexity: moet tussen 1 en 5 liggen, niet 7",
        "waitlist.csv: regel 3, referral_date: 2099-01-01 ligt in de toekomst",
        "waitlist.csv: regel 3, concern: 'zorgen' is niet een van: none, concern, acute",
        "waitlist.csv: regel 3, contact: onbekende coach 'Zoë'",
        "4 problemen gevonden; er is niets geïmporteerd.",
    ]
    async with make_sessionmaker(engine)() as session:
        assert list(await session.scalars(select(WaitlistEntry))) == []


async def test_an_acute_family_is_stored_with_its_crisis_alert_once(cli, engine, tmp_path):
    (tmp_path / "coaches.csv").write_text(COACHES)
    acute = WAITLIST + "ALM-0603;2026-11-20;Veilig Thuis;5;4;acute;;nee\n"
    (tmp_path / "waitlist.csv").write_text(acute)
    assert (await cli("import", "coaches", "coaches.csv")).code == 0
    for _ in range(2):
        result = await cli("import", "waitlist", "waitlist.csv")
        assert result.code == 0, result.err
    async with make_sessionmaker(engine)() as session:
        alerts = list(await session.scalars(select(Alert)))
        reporter = await session.get(Coach, alerts[0].reporter_id)
        entry = await session.scalar(select(WaitlistEntry).where(WaitlistEntry.code == "ALM-0603"))
    assert [a.case_code for a in alerts] == ["ALM-0603"]
    assert reporter.name == "Sara Bakker"  # the team lead, who owns the waitlist
    assert entry.status == EntryStatus.WAITING
