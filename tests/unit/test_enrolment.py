from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.models import AuditEvent, Coach, InviteCode, Role
from bot.services.team.coaches import add_coach, find_enrolled
from bot.services.team.enrolment import Outcome, create_invite, redeem

TG_USER = 5551234


@pytest.fixture
async def anna(session, config, clock):
    coach = await add_coach(
        session, name="Anna de Vries", role=Role.COACH, config=config, now=clock.now()
    )
    await session.commit()
    return coach


async def _redeem(session, config, clock, code, user=TG_USER):
    result = await redeem(
        session,
        telegram_user_id=user,
        raw_code=code,
        now=clock.now(),
        rules=config.enrolment,
        language="en",
    )
    await session.commit()
    return result


async def test_code_links_account_once_and_is_stored_hashed(session, config, clock, anna):
    code, expires = await create_invite(session, anna, now=clock.now(), rules=config.enrolment)
    await session.commit()
    assert expires == clock.now() + timedelta(days=7)
    stored = await session.scalar(select(InviteCode.code_hash))
    assert code not in stored and len(stored) == 64

    # Typed by hand, in lower case with spaces: still the same code.
    spaced = " ".join(code[i : i + 4] for i in range(0, len(code), 4)).lower()
    result = await _redeem(session, config, clock, spaced)
    assert result.outcome is Outcome.ENROLLED
    assert (await find_enrolled(session, TG_USER)).name == "Anna de Vries"
    assert result.coach.language == "en"

    other = await _redeem(session, config, clock, code, user=999)
    assert other.outcome is Outcome.WRONG_CODE
    assert await find_enrolled(session, 999) is None


async def test_expired_code_does_not_enrol(session, config, clock, anna):
    code, _ = await create_invite(session, anna, now=clock.now(), rules=config.enrolment)
    await session.commit()
    clock.advance(timedelta(days=7, seconds=1))
    assert (await _redeem(session, config, clock, code)).outcome is Outcome.EXPIRED
    assert await find_enrolled(session, TG_USER) is None


async def test_new_invite_replaces_the_old_one(session, config, clock, anna):
    old, _ = await create_invite(session, anna, now=clock.now(), rules=config.enrolment)
    new, _ = await create_invite(session, anna, now=clock.now(), rules=config.enrolment)
    await session.commit()
    assert (await _redeem(session, config, clock, old)).outcome is Outcome.WRONG_CODE
    assert (await _redeem(session, config, clock, new)).outcome is Outcome.ENROLLED


async def test_new_phone_moves_the_link(session, config, clock, anna):
    first, _ = await create_invite(session, anna, now=clock.now(), rules=config.enrolment)
    await session.commit()
    await _redeem(session, config, clock, first, user=111)
    second, _ = await create_invite(session, anna, now=clock.now(), rules=config.enrolment)
    await session.commit()
    assert (await _redeem(session, config, clock, second, user=222)).outcome is Outcome.ENROLLED
    assert await find_enrolled(session, 111) is None
    assert (await find_enrolled(session, 222)).id == anna.id


async def test_five_wrong_codes_lock_out_for_an_hour(session, config, clock, anna):
    code, _ = await create_invite(session, anna, now=clock.now(), rules=config.enrolment)
    await session.commit()
    outcomes = [(await _redeem(session, config, clock, f"WRONG{i}")).outcome for i in range(5)]
    assert outcomes == [Outcome.WRONG_CODE] * 4 + [Outcome.LOCKED]

    # Even the right code is refused while locked, and the code is not used up.
    clock.advance(timedelta(minutes=59))
    locked = await _redeem(session, config, clock, code)
    assert locked.outcome is Outcome.LOCKED
    assert await find_enrolled(session, TG_USER) is None

    clock.advance(timedelta(minutes=2))
    assert (await _redeem(session, config, clock, code)).outcome is Outcome.ENROLLED


async def test_wrong_codes_spread_over_time_do_not_lock(session, config, clock, anna):
    for _ in range(6):
        assert (await _redeem(session, config, clock, "NOPE")).outcome is Outcome.WRONG_CODE
        clock.advance(timedelta(minutes=61))


async def test_deactivated_coach_cannot_enrol_and_every_try_is_audited(
    session, config, clock, anna
):
    code, _ = await create_invite(session, anna, now=clock.now(), rules=config.enrolment)
    coach = await session.get(Coach, anna.id)
    coach.active = False
    await session.commit()
    assert (await _redeem(session, config, clock, code)).outcome is Outcome.WRONG_CODE
    outcomes = (
        await session.scalars(select(AuditEvent.outcome).where(AuditEvent.action == "enrol"))
    ).all()
    assert outcomes == ["wrong_code"]
    assert await session.scalar(select(func.count()).select_from(AuditEvent)) == 2
