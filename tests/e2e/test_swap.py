"""/swap: a coach offers a shift, the first colleague to press the button takes it over, both
are told, and the roster shows the new holder. Late, stale and own presses change nothing."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.config.team import TeamConfig
from bot.models import RosterOverride, SwapOffer, SwapStatus
from tests.e2e.conftest import coach_named
from tests.e2e.harness import Person, buttons, settle

GROUP = -100555
# Anna's piket night: Wednesday 25 November 2026, 17:00 – Thursday 08:30 in Amsterdam.
WED_NIGHT = "Piket: wo 25 nov 17:00 – do 26 nov 08:30"
WED_NIGHT_DATA = f"swap:offer:piket:{int(datetime(2026, 11, 25, 16, tzinfo=UTC).timestamp())}"


@pytest.fixture
def config(request) -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "team_chat_id": getattr(request, "param", None),
            "duties": {
                "bureaudienst": {
                    "members": ["Dirk Smit", "Eva Mulder"],
                    "shift": "week",
                    "start": date(2026, 11, 16),
                },
                # Day shifts: Bram holds Monday 23 November, Carla Tuesday, Anna Wednesday.
                "piket": {
                    "members": ["Anna de Vries", "Bram Jansen", "Carla Bos"],
                    "shift": "day",
                    "start": date(2026, 10, 2),
                },
            },
        }
    )


async def offer_wednesday_night(anna) -> dict:
    await anna.say("/swap")
    listing = await anna.reply()
    assert buttons(listing)[WED_NIGHT] == WED_NIGHT_DATA
    await anna.press(listing, WED_NIGHT_DATA)
    return listing


async def press_together(*presses: tuple[Person, dict, str]) -> None:
    """Several people press before the bot has handled any of the presses."""
    for person, message, data in presses:
        await person.standin.press_button(
            person.user_id, message["chat"]["id"], message["message_id"], data
        )
    person = presses[0][0]
    await settle(person.standin, person.app)


def answer_to(standin, person: Person) -> str:
    """The alert the bot showed for this person's last button press."""
    answers = [a for a in standin.callback_answers if a["user_id"] == person.user_id]
    assert answers[-1]["show_alert"] is True
    return answers[-1]["text"]


async def swap_rows(sessionmaker) -> tuple[list[tuple[SwapStatus, int | None]], int]:
    async with sessionmaker() as session:
        offers = (await session.execute(select(SwapOffer.status, SwapOffer.taken_by_id))).all()
        overrides = await session.scalar(select(func.count()).select_from(RosterOverride))
    return [tuple(o) for o in offers], overrides


_WED_NIGHT_EN = "On call (piket): Wed 25 Nov 17:00 – Thu 26 Nov 08:30"
# What Bram (Dutch, False) and Carla (English, True) are shown.
_SWAP_TEXTS = {
    False: {
        "took": f"Je neemt {WED_NIGHT} over van Anna de Vries. Het rooster staat nu op jouw naam.",
        "offered": f"Anna de Vries bood {WED_NIGHT} aan. {{taker}} heeft hem overgenomen.",
        "late": "Te laat: {taker} heeft deze dienst al overgenomen.",
    },
    True: {
        "took": f"You take over {_WED_NIGHT_EN} from Anna de Vries. The roster now shows you.",
        "offered": f"Anna de Vries offered {_WED_NIGHT_EN}. {{taker}} took it over.",
        "late": "Too late: {taker} already took over this shift.",
    },
}


async def test_offer_taken_by_the_first_colleague(standin, member, clock, sessionmaker):
    anna = await member("Anna de Vries")
    bram = await member("Bram Jansen")
    carla = await member("Carla Bos", language="en")
    bram_id = (await coach_named(sessionmaker, "Bram Jansen")).id
    carla_id = (await coach_named(sessionmaker, "Carla Bos")).id

    await anna.say("/swap")
    listing = await anna.reply()
    assert listing["text"].startswith("Welke dienst wil je aan het team aanbieden?")
    # Only Anna's own coming shifts: her nights and her part of the weekend, not Bram's Monday.
    assert list(buttons(listing))[:2] == [WED_NIGHT, "Piket: za 28 nov 17:00 – zo 29 nov 17:00"]
    assert not any("ma 23 nov" in label for label in buttons(listing))

    await anna.press(listing, WED_NIGHT_DATA)
    assert (await anna.reply())["text"] == (
        f"Je hebt {WED_NIGHT} aan het team aangeboden. "
        "Ik laat het je weten als een collega hem overneemt."
    )

    offer_to_bram = await bram.reply()
    assert offer_to_bram["text"] == (
        f"Anna de Vries biedt een dienst aan: {WED_NIGHT}. "
        "Wie als eerste op de knop drukt, neemt hem over."
    )
    offer_to_carla = await carla.reply()
    assert offer_to_carla["text"].startswith(
        "Anna de Vries offers a shift: On call (piket): Wed 25 Nov 17:00 – Thu 26 Nov 08:30."
    )
    take = buttons(offer_to_bram)["Ik neem hem over"]
    assert buttons(offer_to_carla) == {"I'll take it over": take}

    # Bram and Carla press at the same moment. Their chats are handled side by side, so which
    # press the database sees first decides: exactly one of them takes the shift.
    await press_together((bram, offer_to_bram, take), (carla, offer_to_carla, take))
    async with sessionmaker() as session:
        taken_by = (await session.scalar(select(SwapOffer))).taken_by_id
    assert taken_by in (bram_id, carla_id)
    names = {bram_id: "Bram Jansen", carla_id: "Carla Bos"}
    winner, loser = (bram, carla) if taken_by == bram_id else (carla, bram)
    taker = names[taken_by]
    assert (await winner.reply())["text"] == _SWAP_TEXTS[winner is carla]["took"]
    assert (await anna.reply())["text"] == (
        f"{taker} neemt je dienst {WED_NIGHT} over. Het rooster staat nu op naam van {taker}."
    )
    # The offers everyone saw now say who took it, and lose their button.
    for person in (bram, carla):
        edited = await person.reply()
        assert edited["text"] == _SWAP_TEXTS[person is carla]["offered"].format(taker=taker)
        assert buttons(edited) == {}

    # The other was too late: told so, and it is still one override, for the taker.
    assert answer_to(standin, loser) == _SWAP_TEXTS[loser is carla]["late"].format(taker=taker)
    await loser.expect_nothing_more()
    await anna.expect_nothing_more()
    async with sessionmaker() as session:
        offer = await session.scalar(select(SwapOffer))
        overrides = list(await session.scalars(select(RosterOverride)))
    assert offer.status is SwapStatus.TAKEN and offer.taken_by_id == taken_by
    assert [(o.coach_id, o.duty) for o in overrides] == [(taken_by, "piket")]

    clock.set(datetime(2026, 11, 25, 19, 0, tzinfo=UTC))  # Wednesday 20:00
    assert f"Piket: {taker}, tot do 26 nov 08:30." in await anna.ask("/now")


async def test_a_stale_button_for_a_shift_no_longer_hers_is_refused(standin, member, sessionmaker):
    anna = await member("Anna de Vries")
    bram = await member("Bram Jansen")

    await anna.say("/swap")
    old_listing = await anna.reply()
    await offer_wednesday_night(anna)
    await anna.reply()
    offer_to_bram = await bram.reply()
    await bram.press(offer_to_bram, buttons(offer_to_bram)["Ik neem hem over"])
    await bram.reply()  # his confirmation
    await bram.reply()  # the offer, now saying he took it
    await anna.reply()
    before = await swap_rows(sessionmaker)

    # The night is Bram's now; the button in Anna's first list still carries it.
    await anna.press(old_listing, WED_NIGHT_DATA)
    assert answer_to(standin, anna) == "Die dienst is niet van jou, dus je kunt hem niet aanbieden."
    await bram.expect_nothing_more()
    assert await swap_rows(sessionmaker) == before


async def test_withdrawn_offer_cannot_be_taken(standin, member, sessionmaker):
    anna = await member("Anna de Vries")
    bram = await member("Bram Jansen")
    await offer_wednesday_night(anna)
    await anna.reply()
    offer_to_bram = await bram.reply()

    await anna.say("/swap")
    listing = await anna.reply()
    assert f"Jouw openstaande aanbiedingen:\n{WED_NIGHT}" in listing["text"]
    # An offered shift is not offered twice.
    assert WED_NIGHT not in buttons(listing)

    # Bram presses just after Anna withdrew, before his screen showed it.
    await press_together(
        (anna, listing, buttons(listing)[f"Intrekken: {WED_NIGHT}"]),
        (bram, offer_to_bram, buttons(offer_to_bram)["Ik neem hem over"]),
    )
    assert (await anna.reply())["text"] == f"Je hebt je aanbod van {WED_NIGHT} ingetrokken."
    assert (await bram.reply())["text"] == (
        f"Anna de Vries heeft het aanbod van {WED_NIGHT} ingetrokken."
    )
    assert answer_to(standin, bram) == "Dit aanbod is ingetrokken."
    assert await swap_rows(sessionmaker) == ([(SwapStatus.WITHDRAWN, None)], 0)


async def test_nothing_to_offer(member):
    dirk = await member("Dirk Smit")
    await dirk.say("/swap")
    # Bureaudienst comes per office day; Dirk's next week starts Monday 30 November.
    assert next(iter(buttons(await dirk.reply()))) == "Bureaudienst: ma 30 nov 08:30–17:00"
    outsider = await member("Fleur Kok")
    assert await outsider.ask("/swap") == (
        "Je hebt de komende 4 weken geen diensten die je kunt aanbieden."
    )


async def test_a_colleague_the_bot_cannot_reach_does_not_stop_the_others(standin, member):
    anna = await member("Anna de Vries")
    bram = await member("Bram Jansen")
    carla = await member("Carla Bos")
    standin.block(bram.user_id)
    await offer_wednesday_night(anna)
    assert (await anna.reply())["text"].startswith(f"Je hebt {WED_NIGHT} aan het team aangeboden.")
    assert (await carla.reply())["text"].startswith("Anna de Vries biedt een dienst aan")


@pytest.mark.parametrize("config", [GROUP], indirect=True)
async def test_in_the_team_group(standin, member, sessionmaker):
    standin.add_group(GROUP, "Team Gezinscoaches")
    anna = await member("Anna de Vries")
    bram = await member("Bram Jansen")
    # /swap itself lists private shifts: private chat only.
    await anna.say("/swap", chat_id=GROUP)
    assert (await anna.reply(GROUP))["text"].startswith(
        "Dat commando werkt alleen in een privéchat"
    )

    await offer_wednesday_night(anna)
    await anna.reply()
    posted = await anna.reply(GROUP)
    assert posted["text"].startswith(f"Anna de Vries biedt een dienst aan: {WED_NIGHT}.")
    await bram.expect_nothing_more()  # the group is told, not everyone privately
    take = buttons(posted)["Ik neem hem over"]

    await anna.press(posted, take)
    assert answer_to(standin, anna) == "Dit is je eigen aanbod: een collega moet het overnemen."
    assert await swap_rows(sessionmaker) == ([(SwapStatus.OPEN, None)], 0)

    await bram.press(posted, take)
    assert (await bram.reply())["text"].startswith(f"Je neemt {WED_NIGHT} over van Anna")
    assert (await anna.reply())["text"].startswith("Bram Jansen neemt je dienst")
    edited = await anna.reply(GROUP)
    assert edited["message_id"] == posted["message_id"]
    assert (
        edited["text"] == f"Anna de Vries bood {WED_NIGHT} aan. Bram Jansen heeft hem overgenomen."
    )
    assert buttons(edited) == {}
    offers, overrides = await swap_rows(sessionmaker)
    assert [status for status, _ in offers] == [SwapStatus.TAKEN] and overrides == 1
