"""The whole access matrix: every case command × role × relation to the family, in a private
chat and in the team's group. Whoever is not entitled to a family's data never receives any of
it (checked on every message the bot ever sent them), and whoever is entitled gets it.

One bot, one family per (role, relation), plus a decoy family next to each so that a code
prefix gives buttons."""

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from bot.config.team import TeamConfig
from bot.models import CaseContact, Coach, Role
from tests.e2e.case_setup import add_alert, add_case, add_cover
from tests.e2e.harness import Person, buttons

# Values that only a full card or /mycases shows (see add_case): the phase label, safety,
# referrer, start, safety, last contact and evaluation dates.
SECRETS = (
    "Fase:",
    "Veilig Thuis betrokken",
    "Wijkagent Oost",
    "2 mrt 2026",
    "12 okt 2026",
    "17 nov 2026",
    "20 nov 2026",
)
ROLES = {"C": Role.COACH, "T": Role.TEAMLEAD, "A": Role.ADMIN, "P": Role.PARTNER}
RELATIONS = ("OWN", "BCK", "COV", "ALR", "OTH")
FILLER = "Olga Ophuis"  # owns every family that the viewer does not
# PTB's rate limiter allows a bot 20 messages a minute per group, as Telegram does: in the
# team's own group each role asks as owner and as outsider (16 answers); everyone else asks in
# a group of their own, which is not the team's, so the bot says nothing there and leaves.
FIRST_GROUP = -100424200
TEAM_GROUP = FIRST_GROUP


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig(team_chat_id=TEAM_GROUP)


@dataclass
class Cell:
    role: Role
    relation: str
    person: Person
    code: str  # e.g. "C-OWN"; its decoy is code + "Z"

    @property
    def full(self) -> bool:
        if self.role is Role.PARTNER:
            return False
        return self.role in (Role.TEAMLEAD, Role.ADMIN) or self.relation != "OTH"

    @property
    def contact_only(self) -> bool:
        return self.role is Role.COACH and self.relation == "OTH"

    @property
    def listed(self) -> bool:
        """Whether the family is in this person's /mycases."""
        return self.role is not Role.PARTNER and self.relation in ("OWN", "BCK", "COV")


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.fixture
async def matrix(member, sessionmaker) -> list[Cell]:
    await member(FILLER)
    cells = []
    for letter, role in ROLES.items():
        for relation in RELATIONS:
            name = f"{letter}{relation.title()} Matrix"
            person = await member(name, role=role)
            code = f"{letter}-{relation}"
            own = name if relation == "OWN" else FILLER
            backup = name if relation == "BCK" else None
            case = await add_case(sessionmaker, code, own, backup)
            await add_case(sessionmaker, code + "Z", FILLER)
            if relation == "COV":
                await add_cover(sessionmaker, case, name)
            if relation == "ALR":
                await add_alert(sessionmaker, case, taken_by=name, sent_to=None)
            cells.append(Cell(role, relation, person, code))
    return cells


async def contacts(sessionmaker, code: str) -> int:
    from bot.models import Case

    async with sessionmaker() as session:
        return await session.scalar(
            select(func.count(CaseContact.id)).join(Case).where(Case.code == code)
        )


async def test_private_chats(matrix, stranger, standin, sessionmaker):
    problems: list[str] = []

    def check(ok: bool, cell: Cell, what: str, text: str) -> None:
        if not ok:
            problems.append(f"{cell.role.value}/{cell.relation} {what}: {text!r}")

    for cell in matrix:
        person = cell.person
        # /case CODE
        card = await person.ask(f"/case {cell.code}")
        if cell.full:
            check(len(leaks(card)) == len(SECRETS), cell, "/case should show the full card", card)
        else:
            check(not leaks(card), cell, "/case leaked", card)
        check(("wie je kunt benaderen" in card) == cell.contact_only, cell, "/case kind", card)

        # /case PREFIX → buttons → press
        await person.say(f"/case {cell.code[:4]}")
        question = await person.reply()
        offered = buttons(question)
        if cell.role is Role.PARTNER:
            check(not offered, cell, "partner got buttons", question["text"])
        else:
            check(list(offered) == [cell.code, cell.code + "Z"], cell, "buttons", str(offered))
            await person.press(question, offered[cell.code])
            pressed = (await person.reply())["text"]
            check(pressed == card, cell, "button card differs from /case", pressed)
        await person.expect_nothing_more()

        # /mycases
        mine = await person.ask("/mycases")
        check((cell.code in mine) == cell.listed, cell, "/mycases listing", mine)
        check(cell.code + "Z" not in mine, cell, "/mycases shows the decoy", mine)

        # /contact CODE: only with the full card
        answer = await person.ask(f"/contact {cell.code} gebeld")
        check(not leaks(answer), cell, "/contact leaked", answer)
        recorded = await contacts(sessionmaker, cell.code)
        check(recorded == (1 if cell.full else 0), cell, "/contact recorded", answer)
        await person.expect_nothing_more()

    # A stranger gets one short refusal an hour, whatever they send.
    for text in ("/case C-OWN", "/case C-O", "/mycases", "/contact C-OWN"):
        await stranger.say(text)
    for message in standin.bot_messages(stranger.user_id):
        if leaks(message["text"]) or "C-OWN" in message["text"]:
            problems.append(f"stranger: {message['text']!r}")
    assert len(standin.bot_messages(stranger.user_id)) == 1

    # Every message the bot ever sent anyone not entitled, checked once more.
    for cell in matrix:
        if not cell.full:
            for message in standin.bot_messages(cell.person.user_id):
                check(not leaks(message.get("text", "")), cell, "leak in chat", message["text"])
    assert not problems, "\n".join(problems)


async def test_group_chat_never_shows_case_data(matrix, stranger, standin, sessionmaker):
    groups = [FIRST_GROUP - n for n in range(len(matrix) + 1)]
    for group in groups:
        standin.add_group(group, "Team Gezinscoaches")
    problems: list[str] = []
    before = {cell.code: await contacts(sessionmaker, cell.code) for cell in matrix}
    private_before = {
        cell.person.user_id: len(standin.bot_messages(cell.person.user_id)) for cell in matrix
    }
    in_team_group = [cell for cell in matrix if cell.relation in ("OWN", "OTH")]
    for cell in in_team_group:
        for text in (f"/case@achtervang_test_bot {cell.code}", f"/contact {cell.code}"):
            await cell.person.say(text, chat_id=TEAM_GROUP)
            answer = await cell.person.reply(TEAM_GROUP)
            if leaks(answer["text"]) or buttons(answer) or cell.code in answer["text"]:
                problems.append(f"{cell.role.value}/{cell.relation} {text}: {answer['text']!r}")
            await cell.person.expect_nothing_more(TEAM_GROUP)
    elsewhere = [cell for cell in matrix if cell not in in_team_group]
    for cell, group in zip(elsewhere, groups[1:], strict=False):
        for text in (f"/case {cell.code}", f"/case {cell.code[:4]}", "/mycases"):
            await cell.person.say(text, chat_id=group)
            await cell.person.expect_nothing_more(group)
        if group not in standin.left_chats:
            problems.append(f"{cell.code}: the bot stayed in a group that is not the team's")
    await stranger.say("/case C-OWN", chat_id=TEAM_GROUP)
    await stranger.expect_nothing_more(TEAM_GROUP)

    for group in groups:
        for message in standin.bot_messages(group):
            if leaks(message.get("text", "")):
                problems.append(f"group leak: {message['text']!r}")
    # Nothing was recorded, and nothing went to anyone's private chat instead.
    for cell in matrix:
        if await contacts(sessionmaker, cell.code) != before[cell.code]:
            problems.append(f"{cell.code}: a contact was recorded from the group")
        if len(standin.bot_messages(cell.person.user_id)) != private_before[cell.person.user_id]:
            problems.append(f"{cell.code}: a private message was sent")
    assert not problems, "\n".join(problems)


async def test_stale_buttons_after_losing_the_role_or_access(matrix, sessionmaker):
    """Buttons outlive access: a coach who became a partner, or left, presses an old one."""
    by = {(c.role, c.relation): c for c in matrix}
    for relation, change in (("OWN", "partner"), ("BCK", "deactivate")):
        cell = by[(Role.COACH, relation)]
        await cell.person.say(f"/case {cell.code[:4]}")
        question = await cell.person.reply()
        async with sessionmaker() as session:
            coach = await session.scalar(select(Coach).where(Coach.name == cell.person.name))
            if change == "partner":
                coach.role = Role.PARTNER
            else:
                coach.active = False
            await session.commit()
        await cell.person.press(question, buttons(question)[cell.code])
        answers = cell.person.standin.callback_answers
        assert answers and not leaks(answers[-1].get("text") or "")
        await cell.person.expect_nothing_more()
