"""Finding a family by code, who may see what at which moment, and /mycases' order."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.models import (
    AbsenceKind,
    AbsenceRecord,
    Alert,
    AlertRecipient,
    AlertStatus,
    Case,
    CaseContact,
    CaseCover,
    CoverStatus,
    Phase,
    Role,
    SafetyStatus,
)
from bot.services.cases.access import Relation, Visibility, relations_to
from bot.services.cases.lookup import (
    MAX_MATCHES,
    Ambiguous,
    Found,
    NotFound,
    card_for,
    find_case,
    my_cases,
    record_contact,
)
from bot.services.team.coaches import add_coach

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)


async def coach(session, config, name, role=Role.COACH):
    return await add_coach(session, name=name, role=role, config=config, now=NOW)


async def family(session, code, own=None, backup=None, **fields):
    case = Case(
        code=code,
        coach_id=own.id if own else None,
        backup_coach_id=backup.id if backup else None,
        **fields,
    )
    session.add(case)
    await session.flush()
    return case


@pytest.fixture
async def families(session):
    for code in ("ALM-0417", "ALM-0418", "ALM-0420", "ALM-1", "GZ-1042", "gz-77"):
        await family(session, code)
    return session


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ALM-0417", "ALM-0417"),
        ("alm-0417", "ALM-0417"),
        ("ALM-0420", "ALM-0420"),
        ("gz-10", "GZ-1042"),  # a unique prefix
        ("gz- 10 4", "GZ-1042"),  # spaces ignored
        ("GZ-77", "gz-77"),  # a code stored in lower case still matches exactly
        ("alm-1", "ALM-1"),
    ],
)
async def test_exact_or_unique_prefix(families, typed, code):
    found = await find_case(families, typed)
    assert isinstance(found, Found)
    assert found.case.code == code


async def test_exact_match_wins_over_longer_codes_it_prefixes(session):
    await family(session, "ALM-04")
    await family(session, "ALM-041")
    found = await find_case(session, "alm-04")
    assert isinstance(found, Found) and found.case.code == "ALM-04"


async def test_an_ambiguous_prefix_lists_the_codes(families):
    found = await find_case(families, "alm-04")
    assert isinstance(found, Ambiguous)
    assert found.codes == ["ALM-0417", "ALM-0418", "ALM-0420"]
    assert not found.more


async def test_many_matches_are_capped(session):
    for number in range(MAX_MATCHES + 3):
        await family(session, f"VT-{number:03d}")
    found = await find_case(session, "VT")
    assert isinstance(found, Ambiguous)
    assert len(found.codes) == MAX_MATCHES and found.more


@pytest.mark.parametrize("typed", ["XYZ", "ALM-05", "ALM%", "A_M-0417", "' or 1=1"])
async def test_not_found(families, typed):
    assert isinstance(await find_case(families, typed), NotFound)


async def test_covering_and_alert_handling_come_from_the_database(session, config):
    anna = await coach(session, config, "Anna de Vries")
    cem = await coach(session, config, "Cem Yilmaz")
    dirk = await coach(session, config, "Dirk Smit")
    eva = await coach(session, config, "Eva Mulder")
    case = await family(session, "GZ-1042", own=anna)
    session.add(
        CaseCover(case_id=case.id, coach_id=cem.id, status=CoverStatus.ACCEPTED, asked_at=NOW)
    )
    session.add_all(
        [
            CaseCover(
                case_id=case.id,
                coach_id=eva.id,
                status=CoverStatus.RELEASED,
                asked_at=NOW,
                released_at=NOW,
            )
        ]
    )
    alert = Alert(
        case_code="GZ-1042",
        case_id=case.id,
        text="x",
        reporter_id=anna.id,
        raised_at=NOW,
        in_office_hours=True,
        chain=[],
        status=AlertStatus.OPEN,
    )
    session.add(alert)
    await session.flush()
    session.add(
        AlertRecipient(
            alert_id=alert.id, coach_id=dirk.id, round=0, step=0, outbox_key="k", created_at=NOW
        )
    )
    await session.flush()
    assert Relation.COVERING in await relations_to(session, cem, case, NOW)
    assert Relation.ALERT_HANDLER in await relations_to(session, dirk, case, NOW)
    # A released cover gives nothing any more.
    assert await relations_to(session, eva, case, NOW) == {Relation.OTHER_COACH}

    # Once the alert is taken by someone else, the other recipients lose the card; the
    # taker keeps it until it is resolved.
    alert.status, alert.taken_by_id = AlertStatus.TAKEN, eva.id
    await session.flush()
    assert await relations_to(session, dirk, case, NOW) == {Relation.OTHER_COACH}
    assert Relation.ALERT_HANDLER in await relations_to(session, eva, case, NOW)
    alert.status = AlertStatus.RESOLVED
    await session.flush()
    assert await relations_to(session, eva, case, NOW) == {Relation.OTHER_COACH}


async def test_a_contact_only_card_carries_no_case_data(session, config):
    anna = await coach(session, config, "Anna de Vries")
    bram = await coach(session, config, "Bram Jansen")
    cem = await coach(session, config, "Cem Yilmaz")
    case = await family(
        session,
        "GZ-1042",
        own=anna,
        backup=bram,
        phase=Phase.EVALUATIE,
        safety_status=SafetyStatus.VEILIG_THUIS,
        referrer="Huisarts",
        next_evaluation=TODAY - timedelta(days=1),
    )
    session.add(AbsenceRecord(coach_id=anna.id, kind=AbsenceKind.SICK, start=NOW, created_at=NOW))
    await session.flush()

    other = await card_for(session, config, cem, case, NOW)
    assert other.visibility is Visibility.CONTACT_ONLY
    assert other.details is None
    assert other.coach.name == "Anna de Vries" and other.coach.absent
    assert not other.coach.reachable  # absent, and never enrolled
    assert other.backup.name == "Bram Jansen"

    own = await card_for(session, config, bram, case, NOW)
    assert own.visibility is Visibility.FULL
    assert own.details.evaluation_overdue
    assert own.details.referrer == "Huisarts"


async def test_record_contact(session, config):
    anna = await coach(session, config, "Anna de Vries")
    case = await family(session, "GZ-1042", own=anna, last_contact=date(2026, 11, 1))
    await record_contact(session, anna, case, TODAY, NOW, note="huisbezoek")
    assert case.last_contact == TODAY
    row = await session.scalar(select(CaseContact).where(CaseContact.case_id == case.id))
    assert (row.case_id, row.coach_id, row.on, row.note) == (case.id, anna.id, TODAY, "huisbezoek")


async def test_my_cases_overdue_first_then_stale_then_by_code(session, config):
    anna = await coach(session, config, "Anna de Vries")
    bram = await coach(session, config, "Bram Jansen")
    recent, old = TODAY - timedelta(days=3), TODAY - timedelta(days=15)
    await family(session, "A-1", own=anna, last_contact=recent)
    await family(session, "A-2", own=anna, last_contact=old)  # stale
    await family(session, "A-3", own=anna, last_contact=None)  # never: stale
    await family(
        session, "A-4", own=anna, last_contact=recent, next_evaluation=TODAY - timedelta(days=1)
    )
    await family(session, "B-1", own=bram, backup=anna, last_contact=recent)
    covered = await family(session, "B-2", own=bram, last_contact=recent)
    await family(session, "B-3", own=bram, last_contact=recent)  # not Anna's
    await family(
        session, "A-0", own=anna, phase=Phase.AFSLUITING, end_date=TODAY - timedelta(days=1)
    )  # closed
    session.add(
        CaseCover(case_id=covered.id, coach_id=anna.id, status=CoverStatus.ACCEPTED, asked_at=NOW)
    )
    await session.flush()

    mine = await my_cases(session, config, anna, TODAY)
    assert [(m.case.code, m.relation) for m in mine] == [
        ("A-4", Relation.OWN),
        ("A-2", Relation.OWN),
        ("A-3", Relation.OWN),
        ("A-1", Relation.OWN),
        ("B-1", Relation.BACKUP),
        ("B-2", Relation.COVERING),
    ]
