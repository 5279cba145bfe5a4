"""Only coaches and team leads hold families: every writer goes through holders, and taking
the role or access away from someone who still holds families is refused, naming them."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.models import Case, Coach, Role, WaitlistEntry
from bot.models.waitlist_terms import Concern
from bot.services.absence import hand_assign as backup_round
from bot.services.cases import admin as case_admin
from bot.services.cases import holders
from bot.services.imports.cases import import_cases
from bot.services.imports.coaches import import_coaches
from bot.services.team.coaches import BadName, add_coach, valid_name
from bot.services.waitlist import store as waitlist
from bot.services.waitlist.csv_import import import_waitlist
from bot.services.waitlist.store import Referral

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
async def team(session, config):
    people = {}
    for name, role in (
        ("Anna de Vries", Role.COACH),
        ("Sara Bakker", Role.TEAMLEAD),
        ("Wijkteam Noord", Role.PARTNER),
        ("Adam Beheer", Role.ADMIN),
    ):
        people[name.split()[0]] = await add_coach(
            session, name=name, role=role, config=config, now=NOW
        )
    session.add(Case(code="GZ-1042", coach_id=people["Anna"].id))
    await session.commit()
    return people


def test_only_active_coaches_and_leads_may_hold():
    assert holders.may_hold(Coach(role=Role.COACH, active=True))
    assert holders.may_hold(Coach(role=Role.TEAMLEAD, active=True))
    assert not holders.may_hold(Coach(role=Role.PARTNER, active=True))
    assert not holders.may_hold(Coach(role=Role.ADMIN, active=True))
    assert not holders.may_hold(Coach(role=Role.COACH, active=False))
    assert not holders.may_hold(None)


async def test_coaches_csv_cannot_make_a_holder_a_partner_or_inactive(session, config, team):
    for row in ("Anna de Vries,partner,yes", "Anna de Vries,coach,no"):
        report = await import_coaches(session, f"name,role,active\n{row}\n", config=config, now=NOW)
        assert not report.ok
        [problem] = report.problems
        assert "GZ-1042" in problem.text.msgid % problem.text.params
    await session.rollback()
    anna = await session.scalar(select(Coach).where(Coach.name == "Anna de Vries"))
    assert (anna.role, anna.active) == (Role.COACH, True)
    # Someone without families may become a partner.
    report = await import_coaches(
        session, "name,role\nSara Bakker,partner\n", config=config, now=NOW
    )
    assert report.ok


async def test_cases_csv_refuses_a_partner_an_admin_or_someone_deactivated(session, team):
    team["Sara"].active = False
    await session.commit()
    for name in ("Wijkteam Noord", "Adam Beheer", "Sara Bakker"):
        for column in ("coach", "backup_coach"):
            text = f"code,{column}\nGZ-2000,{name}\n"
            report = await import_cases(session, text, now=NOW)
            assert [(p.column, p.text.params.get("name")) for p in report.problems] == [
                (column, name)
            ]
    assert await session.scalar(select(Case).where(Case.code == "GZ-2000")) is None


async def test_waitlist_csv_and_intake_refuse_a_partner_as_contact_or_coach(session, config, team):
    text = (
        "code,referral_date,complexity,cost_band,contact\nGZ-3000,2026-11-20,2,2,Wijkteam Noord\n"
    )
    report = await import_waitlist(session, text, config=config, now=NOW)
    assert [(p.column, p.text.params.get("name")) for p in report.problems] == [
        ("contact", "Wijkteam Noord")
    ]
    refused = await waitlist.match_team_member(session, "Wijkteam Noord")
    assert isinstance(refused, waitlist.Refused)
    referral = Referral("GZ-3001", date(2026, 11, 20), None, 2, 2, Concern.NONE)
    with pytest.raises(holders.NotAHolder):
        await waitlist.add(
            session, config, referral, actor=team["Sara"], now=NOW, contact=team["Wijkteam"]
        )
    assert await session.scalar(select(WaitlistEntry)) is None


async def test_assign_refuses_a_partner_even_with_crafted_confirmation_ids(session, team):
    case = await session.scalar(select(Case).where(Case.code == "GZ-1042"))
    for coach, backup in ((team["Wijkteam"], None), (team["Anna"], team["Wijkteam"])):
        result = await case_admin.confirm_assign(
            session,
            lead=team["Sara"],
            case_id=case.id,
            coach_id=coach.id,
            backup_id=backup.id if backup else None,
            now=NOW,
        )
        assert result == case_admin.Refusal(case_admin.Problem.NOT_A_HOLDER, "Wijkteam Noord")
    await session.refresh(case)
    assert (case.coach_id, case.backup_coach_id) == (team["Anna"].id, None)


async def test_a_lead_cannot_hand_a_cover_to_a_partner(session, config, team):
    outcome, _, _ = await backup_round.assign_by_hand(
        session,
        config,
        lead=team["Sara"],
        absence_id=1,
        case_id=1,
        coach_id=team["Wijkteam"].id,
        now=NOW,
    )
    assert outcome in (backup_round.Assigned.GONE, backup_round.Assigned.NO_ROOM)


async def test_holdings_name_every_kind_of_holding(session, team):
    held = await holders.holdings(session, team["Anna"], date(2026, 11, 23))
    assert held.own == ["GZ-1042"] and held.codes() == "GZ-1042"
    assert not await holders.holdings(session, team["Wijkteam"], date(2026, 11, 23))


@pytest.mark.parametrize(
    ("name", "reason"),
    [("", "empty"), ("   ", "empty"), ("x" * 121, "too_long"), ("Anna\x00", "control"),
     ("Anna\u200bde Vries", "control"), ("Bel\x07", "control")],
)  # fmt: skip
def test_names_are_validated_the_same_way_everywhere(name, reason):
    with pytest.raises(BadName) as bad:
        valid_name(name)
    assert bad.value.reason == reason
    assert valid_name("  Anna   de Vries ") == "Anna de Vries"
