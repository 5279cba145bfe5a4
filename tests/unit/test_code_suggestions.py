"""Close codes for a mistyped one, only for those who may know the families exist."""

from bot.models import Case, Coach, Role
from bot.services.cases.suggestions import close_codes
from bot.services.team.coaches import add_coach


async def add_people_and_cases(session, config, clock) -> dict[str, Coach]:
    people = {
        key: await add_coach(session, name=name, role=role, config=config, now=clock.now())
        for key, name, role in (
            ("coach", "Anna de Vries", Role.COACH),
            ("partner", "Wijkteam Noord", Role.PARTNER),
            ("gone", "Oud Lid", Role.COACH),
        )
    }
    people["gone"].active = False
    for code in ("ALM-0417", "ALM-0471", "ALM-1417", "ALM-9999", "GZ-0417"):
        session.add(Case(code=code, coach_id=people["coach"].id))
    await session.flush()
    return people


async def test_the_closest_codes_come_first(session, config, clock):
    people = await add_people_and_cases(session, config, clock)
    # Two swapped digits and one wrong digit score alike; a different prefix less.
    assert await close_codes(session, people["coach"], "alm-0147") == [
        "ALM-0417",
        "ALM-0471",
        "ALM-1417",
    ]
    assert await close_codes(session, people["coach"], "XYZ") == []


async def test_a_partner_or_a_former_member_is_offered_no_code(session, config, clock):
    people = await add_people_and_cases(session, config, clock)
    assert await close_codes(session, people["partner"], "ALM-0418") == []
    assert await close_codes(session, people["gone"], "ALM-0418") == []
