"""The swap service: who may offer and take a shift, and that only one colleague can win."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.config.team import TeamConfig
from bot.models import (
    AbsenceKind,
    AbsenceRecord,
    AuditEvent,
    Coach,
    OverrideKind,
    Role,
    RosterOverride,
    SwapOffer,
    SwapStatus,
)
from bot.services.rosters import swaps
from bot.services.rosters.store import load_roster
from bot.services.rosters.swaps import Outcome
from bot.services.team.coaches import add_coach

# Amsterdam is UTC+1 in November. Day shifts from 17:00: Anna holds Sunday 22 November,
# Bram Monday 23, Carla Tuesday 24 and Anna again Wednesday 25.
ANNA_SUNDAY = datetime(2026, 11, 22, 16, tzinfo=UTC)
BRAM_MONDAY = datetime(2026, 11, 23, 16, tzinfo=UTC)
ANNA_WEDNESDAY = datetime(2026, 11, 25, 16, tzinfo=UTC)
THURSDAY_0830 = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": {
                "piket": {
                    "members": ["Anna de Vries", "Bram Jansen", "Carla Bos"],
                    "shift": "day",
                    "start": date(2026, 10, 2),
                }
            }
        }
    )


@pytest.fixture
async def team(session, config, clock) -> dict[str, Coach]:
    names = ("Anna de Vries", "Bram Jansen", "Carla Bos")
    coaches = {
        name.split()[0]: await add_coach(
            session, name=name, role=Role.COACH, config=config, now=clock.now()
        )
        for name in names
    }
    await session.commit()
    return coaches


async def offer_wednesday(session, config, team, clock) -> SwapOffer:
    result = await swaps.offer_shift(
        session, config, team["Anna"], "piket", ANNA_WEDNESDAY, clock.now()
    )
    assert result.outcome is Outcome.OFFERED
    await session.commit()
    return result.offer


async def holder_on_wednesday_night(sessionmaker, config) -> str | None:
    instant = ANNA_WEDNESDAY + timedelta(hours=4)
    async with sessionmaker() as session:
        state = await load_roster(session, config, instant, instant)
    return state.holder_at("piket", instant).holder


async def overrides(sessionmaker) -> list[tuple[str, str, OverrideKind]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Coach.name, RosterOverride.duty, RosterOverride.kind).join(
                Coach, Coach.id == RosterOverride.coach_id
            )
        )
        return [tuple(row) for row in rows]


async def test_my_shifts_are_my_coming_pieces_not_yet_offered(session, config, team, clock):
    mine = await swaps.my_shifts(session, config, team["Anna"], clock.now())
    starts = [s.start for s in mine.shifts]
    # Sunday's night already ended; Monday and Tuesday are Bram's and Carla's.
    assert starts[0] == ANNA_WEDNESDAY
    assert mine.shifts[0].end == THURSDAY_0830
    assert all(s.holder == "Anna de Vries" and s.start > clock.now() for s in mine.shifts)
    assert starts[-1] < clock.now() + swaps.HORIZON

    offer = await offer_wednesday(session, config, team, clock)
    mine = await swaps.my_shifts(session, config, team["Anna"], clock.now())
    assert ANNA_WEDNESDAY not in [s.start for s in mine.shifts]
    assert [o.id for o in mine.open_offers] == [offer.id]


async def test_offer_refusals_change_nothing(session, config, team, clock):
    anna, now = team["Anna"], clock.now()
    cases = [
        ("piket", BRAM_MONDAY, Outcome.NOT_YOURS),
        ("brandweer", ANNA_WEDNESDAY, Outcome.NOT_YOURS),
        ("piket", ANNA_WEDNESDAY + timedelta(hours=1), Outcome.SHIFT_CHANGED),
        ("piket", ANNA_SUNDAY, Outcome.STARTED),  # her night ended this morning
    ]
    for duty, start, expected in cases:
        result = await swaps.offer_shift(session, config, anna, duty, start, now)
        assert result.outcome is expected, (duty, start)
    await offer_wednesday(session, config, team, clock)
    again = await swaps.offer_shift(session, config, anna, "piket", ANNA_WEDNESDAY, now)
    assert again.outcome is Outcome.ALREADY_OFFERED
    await session.commit()
    assert await session.scalar(select(func.count()).select_from(SwapOffer)) == 1


async def test_take_gives_the_shift_and_a_later_taker_learns_who_won(
    session, sessionmaker, config, team, clock
):
    offer = await offer_wednesday(session, config, team, clock)
    assert await holder_on_wednesday_night(sessionmaker, config) == "Anna de Vries"

    taken = await swaps.take_offer(session, config, team["Bram"], offer.id, clock.now())
    assert taken.outcome is Outcome.TAKEN
    assert (taken.offerer.name, taken.taker.name) == ("Anna de Vries", "Bram Jansen")
    await session.commit()
    assert await holder_on_wednesday_night(sessionmaker, config) == "Bram Jansen"
    assert await overrides(sessionmaker) == [("Bram Jansen", "piket", OverrideKind.SWAP)]
    event = await session.scalar(select(AuditEvent).where(AuditEvent.action == "roster.swap"))
    assert event is not None

    late = await swaps.take_offer(session, config, team["Carla"], offer.id, clock.now())
    assert late.outcome is Outcome.ALREADY_TAKEN
    assert late.taker.name == "Bram Jansen"
    await session.commit()
    assert await overrides(sessionmaker) == [("Bram Jansen", "piket", OverrideKind.SWAP)]


async def test_two_colleagues_pressing_at_once_only_one_wins(
    session, sessionmaker, config, team, clock
):
    offer = await offer_wednesday(session, config, team, clock)
    async with sessionmaker() as first, sessionmaker() as second:
        # Both saw the offer open; the first claim is not committed yet when the second runs.
        assert await swaps.claim(first, offer.id, team["Bram"], clock.now())
        late = asyncio.create_task(swaps.claim(second, offer.id, team["Carla"], clock.now()))
        await asyncio.sleep(0.2)  # the second UPDATE now waits for the first one's lock
        await first.commit()
        assert await late is False
        await second.commit()
    async with sessionmaker() as check:
        stored = await check.get(SwapOffer, offer.id)
    assert (stored.status, stored.taken_by_id) == (SwapStatus.TAKEN, team["Bram"].id)


async def test_a_take_racing_another_is_told_who_won(session, sessionmaker, config, team, clock):
    offer = await offer_wednesday(session, config, team, clock)
    async with sessionmaker() as first, sessionmaker() as second:
        won = await swaps.take_offer(first, config, team["Bram"], offer.id, clock.now())
        assert won.outcome is Outcome.TAKEN
        # Carla's checks all pass (Bram's take is not committed yet); only the claim stops her.
        late = asyncio.create_task(
            swaps.take_offer(second, config, team["Carla"], offer.id, clock.now())
        )
        await asyncio.sleep(0.2)
        await first.commit()
        lost = await late
        await second.commit()
    assert lost.outcome is Outcome.ALREADY_TAKEN and lost.taker.name == "Bram Jansen"
    assert await overrides(sessionmaker) == [("Bram Jansen", "piket", OverrideKind.SWAP)]


async def test_a_claim_on_a_stale_open_offer_does_not_win(
    session, sessionmaker, config, team, clock
):
    offer = await offer_wednesday(session, config, team, clock)
    async with sessionmaker() as first, sessionmaker() as second:
        assert (await second.get(SwapOffer, offer.id)).status is SwapStatus.OPEN
        assert await swaps.claim(first, offer.id, team["Bram"], clock.now())
        await first.commit()
        assert not await swaps.claim(second, offer.id, team["Carla"], clock.now())


async def test_an_absent_colleague_cannot_take_the_shift(
    session, sessionmaker, config, team, clock
):
    offer = await offer_wednesday(session, config, team, clock)
    # Bram is away from Wednesday 22:00: not at the start of the shift, but during it.
    session.add(
        AbsenceRecord(
            coach_id=team["Bram"].id,
            kind=AbsenceKind.LEAVE,
            start=datetime(2026, 11, 25, 21, tzinfo=UTC),
            end=datetime(2026, 11, 28, tzinfo=UTC),
            created_at=clock.now(),
        )
    )
    await session.commit()
    result = await swaps.take_offer(session, config, team["Bram"], offer.id, clock.now())
    assert result.outcome is Outcome.ABSENT
    await session.commit()
    await session.refresh(offer)
    assert offer.status is SwapStatus.OPEN
    assert await overrides(sessionmaker) == []
    assert await holder_on_wednesday_night(sessionmaker, config) == "Anna de Vries"


async def test_take_refusals(session, sessionmaker, config, team, clock):
    offer = await offer_wednesday(session, config, team, clock)
    anna, bram, carla = team["Anna"], team["Bram"], team["Carla"]

    own = await swaps.take_offer(session, config, anna, offer.id, clock.now())
    assert own.outcome is Outcome.OWN_OFFER
    after_start = ANNA_WEDNESDAY + timedelta(minutes=5)
    started = await swaps.take_offer(session, config, bram, offer.id, after_start)
    assert started.outcome is Outcome.STARTED
    missing = await swaps.take_offer(session, config, bram, offer.id + 1, clock.now())
    assert missing.outcome is Outcome.NO_SUCH_OFFER

    # Carla already holds the second line that night: she cannot be first line as well.
    session.add(
        RosterOverride(
            duty="piket_second",
            coach_id=carla.id,
            start=ANNA_WEDNESDAY,
            end=THURSDAY_0830,
            kind=OverrideKind.OVERRIDE,
            created_at=clock.now(),
        )
    )
    await session.commit()
    on_duty = await swaps.take_offer(session, config, carla, offer.id, clock.now())
    assert on_duty.outcome is Outcome.ALREADY_ON_DUTY

    # A team lead gives the night's second half to Carla after Anna offered it.
    session.add(
        RosterOverride(
            duty="piket",
            coach_id=carla.id,
            start=datetime(2026, 11, 26, 0, tzinfo=UTC),
            end=THURSDAY_0830,
            kind=OverrideKind.OVERRIDE,
            created_at=clock.now(),
        )
    )
    await session.commit()
    changed = await swaps.take_offer(session, config, bram, offer.id, clock.now())
    assert changed.outcome is Outcome.SHIFT_CHANGED

    await session.commit()
    await session.refresh(offer)
    assert offer.status is SwapStatus.OPEN
    assert [o for o in await overrides(sessionmaker) if o[2] is OverrideKind.SWAP] == []


async def test_only_the_offerer_withdraws_and_only_while_open(session, config, team, clock):
    offer = await offer_wednesday(session, config, team, clock)
    anna, bram = team["Anna"], team["Bram"]

    not_hers = await swaps.withdraw_offer(session, bram, offer.id, clock.now())
    assert not_hers.outcome is Outcome.NOT_YOUR_OFFER
    withdrawn = await swaps.withdraw_offer(session, anna, offer.id, clock.now())
    assert withdrawn.outcome is Outcome.WITHDRAWN
    await session.commit()

    again = await swaps.withdraw_offer(session, anna, offer.id, clock.now())
    assert again.outcome is Outcome.WAS_WITHDRAWN
    take = await swaps.take_offer(session, config, bram, offer.id, clock.now())
    assert take.outcome is Outcome.WAS_WITHDRAWN
    # Withdrawn, the night can be offered again.
    offer_again = await swaps.offer_shift(
        session, config, anna, "piket", ANNA_WEDNESDAY, clock.now()
    )
    assert offer_again.outcome is Outcome.OFFERED


async def test_offers_go_to_enrolled_colleagues_and_partners_cannot_take(
    session, config, team, clock
):
    offer = await offer_wednesday(session, config, team, clock)
    partner = await add_coach(
        session, name="Wijkteam Noord", role=Role.PARTNER, config=config, now=clock.now()
    )
    for telegram_id, coach in enumerate((team["Anna"], team["Bram"], partner), start=1):
        coach.telegram_user_id = telegram_id
    await session.commit()
    # Carla has not linked her Telegram account yet; the partner is not on the rosters.
    assert [c.name for c in await swaps.recipients(session, team["Anna"])] == ["Bram Jansen"]
    result = await swaps.take_offer(session, config, partner, offer.id, clock.now())
    assert result.outcome is Outcome.NOT_ON_TEAM


async def test_two_presses_offering_the_same_night_make_one_offer(
    sessionmaker, config, team, clock
):
    async def press() -> Outcome:
        async with sessionmaker() as session:
            result = await swaps.offer_shift(
                session, config, team["Anna"], "piket", ANNA_WEDNESDAY, clock.now()
            )
            await asyncio.sleep(0.05)  # both have checked before either commits
            await session.commit()
            return result.outcome

    outcomes = await asyncio.gather(press(), press())
    assert set(outcomes) == {Outcome.OFFERED, Outcome.ALREADY_OFFERED}
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(SwapOffer)) == 1
