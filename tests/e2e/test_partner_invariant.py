"""A partner never ends up holding a family through the bot: not by a team lead's /assign
confirmation with crafted ids, not as an alert recipient when a case row or roster names them."""

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import Alert, AlertRecipient, Case, Coach
from tests.e2e.harness import buttons, settle
from tests.e2e.team_setup import add_family, crisis_config, crisis_team


@pytest.fixture
def config() -> TeamConfig:
    return crisis_config()


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


async def _id(sessionmaker, name: str) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(Coach.id).where(Coach.name == name))


async def test_a_crafted_assign_confirmation_cannot_make_a_partner_the_coach(
    member, sessionmaker, standin, caplog
):
    team = await crisis_team(member, sessionmaker)
    sara = team["Sara"]
    async with sessionmaker() as session:
        (await session.get(Coach, await _id(sessionmaker, "Eva Mulder"))).caseload_limit = 0
        await session.commit()
    await sara.say("/assign GZ-1042 Eva")
    question = await sara.reply()
    real = buttons(question)["Toch toewijzen"]
    case_id, eva, _backup = real.split(":")[2:]
    partner = await _id(sessionmaker, "Wijkteam Noord")
    for forged in (f"cassign:ok:{case_id}:{partner}:0", f"cassign:ok:{case_id}:{eva}:{partner}"):
        standin.inject_update(
            "callback_query",
            {
                "id": forged,
                "from": {"id": sara.user_id, "is_bot": False, "first_name": "Sara"},
                "message": question,
                "chat_instance": "1",
                "data": forged,
            },
        )
        await settle(standin, sara.app)
    # The first forged press turned the question into the refusal; the second left it so.
    edited = await sara.reply()
    assert edited["text"] == (
        "Wijkteam Noord kan geen gezin hebben: alleen actieve coaches en teamleiders. "
        "Er is niets veranderd."
    )
    assert not [r for r in caplog.records if r.name == "bot.handlers.fallback"]
    async with sessionmaker() as session:
        case = await session.scalar(select(Case).where(Case.code == "GZ-1042"))
    assert (case.coach_id, case.backup_coach_id) == (
        await _id(sessionmaker, "Anna de Vries"),
        await _id(sessionmaker, "Bram Jansen"),
    )


async def test_an_alert_for_a_family_whose_case_row_names_a_partner_skips_the_partner(
    member, sessionmaker, standin
):
    team = await crisis_team(member, sessionmaker)
    partner = team["Wijkteam"]
    # A row written before the invariant existed: the partner is the family's own coach.
    await add_family(sessionmaker, "GZ-7000", "Wijkteam Noord", backup="Bram Jansen")
    seen_before = len(standin.bot_messages(partner.user_id))
    await team["Anna"].say("/crisis GZ-7000 vader dreigt")
    await team["Anna"].reply()
    async with sessionmaker() as session:
        alert = await session.scalar(select(Alert).where(Alert.case_code == "GZ-7000"))
        to = set(
            await session.scalars(
                select(AlertRecipient.coach_id).where(AlertRecipient.alert_id == alert.id)
            )
        )
    assert await _id(sessionmaker, "Wijkteam Noord") not in to
    assert to  # someone on duty got it instead
    for message in standin.bot_messages(partner.user_id)[seen_before:]:
        assert "GZ-7000" not in message["text"]
