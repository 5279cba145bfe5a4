"""An absent coach's coming duty shifts are offered in the team group as open swaps: the
first colleague to press takes the shift over, and the roster shows them instead of a gap."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import SwapOffer, SwapStatus
from bot.services.rosters.store import load_roster
from tests.e2e.absence_setup import absence_config, absence_team
from tests.e2e.harness import buttons

TONIGHT = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)  # Monday 19:00: Bram's piket night


GROUP = -100555


@pytest.fixture
def config() -> TeamConfig:
    return absence_config().model_copy(update={"team_chat_id": GROUP})


async def test_a_sick_piket_coachs_night_goes_to_whoever_takes_it(
    member, sessionmaker, config, standin
):
    standin.add_group(GROUP, "Team Gezinscoaches")
    team = await absence_team(member, sessionmaker)
    bram, eva, cem = team["Bram"], team["Eva"], team["Cem"]
    assert (await bram.ask("/absent ziek")).startswith("Opgeslagen: Bram Jansen is ziek")

    offers = [
        m for m in standin.bot_messages(GROUP) if m["text"].startswith("Bram Jansen is afwezig")
    ]
    tonight = next(m for m in offers if "ma 23 nov 17:00" in m["text"])
    assert tonight["text"].endswith("Wie als eerste op de knop drukt, neemt hem over.")
    await eva.press(tonight, buttons(tonight)["Ik neem hem over"])

    async with sessionmaker() as session:
        state = await load_roster(session, config, TONIGHT, TONIGHT)
        statuses = list(await session.scalars(select(SwapOffer.status).order_by(SwapOffer.start)))
    assert state.holder_at("piket", TONIGHT).holder == "Eva Mulder"
    assert statuses[0] == SwapStatus.TAKEN
    assert all(s == SwapStatus.OPEN for s in statuses[1:])  # his later nights are still open

    # The group's offer now says who took it, without a button; nobody got it privately.
    edited = next(
        m for m in standin.bot_messages(GROUP) if m["message_id"] == tonight["message_id"]
    )
    assert "Eva Mulder" in edited["text"] and not buttons(edited)
    assert not any("afwezig, dus" in m["text"] for m in standin.bot_messages(cem.user_id))


async def test_back_early_withdraws_the_open_offers(member, sessionmaker, config, standin, clock):
    standin.add_group(GROUP, "Team Gezinscoaches")
    team = await absence_team(member, sessionmaker)
    await team["Bram"].ask("/absent ziek")
    clock.advance(timedelta(hours=2))  # better by 11:00
    await team["Bram"].ask("/back")
    async with sessionmaker() as session:
        statuses = set(await session.scalars(select(SwapOffer.status)))
    assert statuses == {SwapStatus.WITHDRAWN}
    offer = next(
        m for m in standin.bot_messages(GROUP) if m["text"].startswith("Bram Jansen is afwezig")
    )
    await team["Eva"].press(offer, buttons(offer)["Ik neem hem over"])
    async with sessionmaker() as session:
        state = await load_roster(session, config, TONIGHT, TONIGHT)
    assert state.holder_at("piket", TONIGHT).holder == "Bram Jansen"
