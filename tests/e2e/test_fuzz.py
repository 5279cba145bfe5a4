"""Thousands of seeded random updates through the stand-in, as an attacker or a clumsy client
sends them: every command with odd arguments, forged button data of every shape, photos,
stickers, edited messages, channel posts, membership changes, from members of every role,
a deactivated member and strangers, in private chats, the team's group and a foreign group.

Fails on any unhandled exception (the error handler ran, or the gate failed) and on any case
data that reached a stranger, a partner or a group. Seeded: FUZZ_SEED reproduces a run,
FUZZ_UPDATES changes its length."""

import logging
import os
import random
import time

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.handlers import registry
from bot.models import Coach, Role
from tests.e2e.case_setup import SECRETS_EN, SECRETS_NL, add_alert, add_case
from tests.e2e.harness import settle
from tests.e2e.team_setup import week_duties

SEED = int(os.environ.get("FUZZ_SEED", "20261126"))
UPDATES = int(os.environ.get("FUZZ_UPDATES", "2000"))
BATCH = 25
TEAM_GROUP = -100500
FOREIGN_GROUP = -100501
STRANGER, DEACTIVATED = 900001, 900002
# What only a case card shows; strangers and groups must not even see that a code exists (a
# partner may, in the confirmation of the alert they raised for it).
CARD_SECRETS = set(SECRETS_NL + SECRETS_EN) - {"Veilig Thuis"}
CODES = {"GZ-1042", "GZ-2077"}

ODD = [
    "",
    "GZ-1042",
    "GZ-2077",
    "gz",
    "²",
    "١٢",
    "９",
    "99999999999999999999999",
    "-1",
    "0",
    "2147483648",
    "9999-W52",
    "0001-01-01",
    "31-12-9999",
    "29-02",
    "\u3000",
    "\u00a0",
    "\u200b",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "<b>vet</b>",
    "&amp;",
    '=HYPERLINK("http://x")',
    "@everyone",
    "'; DROP TABLE cases; --",
    "x" * 300,
    "ж" * 5000,
    "🚨" * 100,
    "Anna de Vries",
    "Rol coach",
    "ziek",
    "morgen",
    "volgende",
    "next",
    "piket",
    "bureaudienst",
    "08:30-12:00",
    "en",
    "nl",
]
PREFIXES = [
    "absent:",
    "cassign:",
    "case:",
    "cover:",
    "alert:",
    "lang:",
    "resolve:",
    "roster:",
    "swap:",
    "wla:",
    "wl:",
    "",
    "zz:",
]
WORDS = ["take", "decline", "accept", "pick", "give", "ok", "no", "out", "offer", "withdraw",
         "kind", "from", "until", "today", "tomorrow", "type", "open", "sick", "day", "cx",
         "cost", "sc", "ct", "yes", "piket", "en", "nl", "1", "2", "0", "²", "٣", "-1",
         "99999999999999999999", "1764000000", "99999999999999", "2026-11-30", "9999-12-27",
         "\x00", "\u3000", ""]  # fmt: skip

# The shapes of the bot's own buttons, with each field filled from odd values as well as
# plausible ones: {i} an id, {t} a Unix time, {d} a date, {w} a word.
SHAPES = [
    "cover:accept:{i}", "cover:decline:{i}", "cover:pick:{i}:{i}", "cover:give:{i}:{i}:{i}",
    "alert:take:{i}", "alert:decline:{i}", "case:{i}", "cassign:ok:{i}:{i}:{i}", "cassign:no",
    "resolve:pick:{i}", "resolve:out:{i}:{w}", "roster:{d}", "swap:offer:{w}:{t}",
    "swap:take:{i}", "swap:withdraw:{i}", "wla:day:{i}", "wla:cx:{i}", "wla:cost:{i}",
    "wla:sc:{w}", "wla:ct:{w}", "wl:yes:{i}", "wl:no:{i}", "lang:{w}", "absent:kind:{w}",
    "absent:from:{w}", "absent:until:{w}", "absent:ok:", "absent:no:",
]  # fmt: skip
VALUES = {
    "i": ["1", "2", "3", "4", "5", "0", "-1", "²", "٣", "１", "2147483648", "9" * 25, "", "x"],
    "t": ["1795190400", "1795208400", "99999999999999", "1", "-5", "²", "9" * 30, ""],
    "d": ["2026-11-30", "2026-11-23", "9999-12-27", "0001-01-01", "2026-02-30", "x", ""],
    "w": ["sick", "leave", "today", "tomorrow", "type", "open", "same", "day", "piket",
          "bureaudienst", "none", "en", "nl", "xx", "resolved", "²", "", "\u3000"],
}  # fmt: skip


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate({"duties": week_duties(), "team_chat_id": TEAM_GROUP})


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


class Fuzzer:
    def __init__(self, standin, people: dict[int, Role | None], rng: random.Random) -> None:
        self.standin, self.people, self.rng = standin, people, rng
        self.bot = standin.bot_user
        self.next_message_id = 10_000_000

    def user(self, user_id: int) -> dict:
        return {"id": user_id, "is_bot": False, "first_name": f"U{user_id}", "language_code": "nl"}

    def chat(self, user_id: int) -> dict:
        # Few group updates: PTB's rate limiter lets the bot write 20 a minute to a group.
        choice = self.rng.random()
        if choice < 0.95:
            return {"id": user_id, "type": "private", "first_name": f"U{user_id}"}
        group = TEAM_GROUP if choice < 0.975 else FOREIGN_GROUP
        return {"id": group, "type": "supergroup", "title": "Groep"}

    def text(self) -> str:
        rng = self.rng
        if rng.random() < 0.7:
            command = rng.choice([*(s.name for s in registry.COMMANDS), "onzin", "Start", "help"])
            suffix = rng.choice(["", "", "@achtervang_test_bot", "@other_bot"])
            args = " ".join(rng.choice(ODD) for _ in range(rng.randint(0, 4)))
            text = f"/{command}{suffix} {args}"
        else:
            text = " ".join(rng.choice(ODD) for _ in range(rng.randint(1, 3)))
        return text if text.strip(" \t\n\r") else "/help"

    def message(self, user_id: int, chat: dict, **content) -> dict:
        self.next_message_id += 1
        return {
            "message_id": self.next_message_id,
            "from": self.user(user_id),
            "chat": chat,
            "date": int(time.time()),
            **content,
        }

    def callback_data(self) -> str | None:
        rng = self.rng
        if rng.random() < 0.03:
            return None
        if rng.random() < 0.7:
            shape = rng.choice(SHAPES)
            for key, values in VALUES.items():
                while "{" + key + "}" in shape:
                    shape = shape.replace("{" + key + "}", rng.choice(values), 1)
            return shape
        fields = [rng.choice(WORDS) for _ in range(rng.randint(0, 4))]
        return rng.choice(PREFIXES) + ":".join(fields)

    def one(self, user_id: int) -> None:
        rng, chat = self.rng, self.chat(user_id)
        kind = rng.choices(
            ["text", "callback", "edited", "photo", "sticker", "channel", "member", "caption"],
            weights=[55, 30, 4, 3, 2, 2, 2, 2],
        )[0]
        if kind == "text":
            text = self.text()
            self.standin.inject_update("message", self.message(user_id, chat, text=text))
        elif kind == "caption":
            content = {"photo": [_photo()], "caption": self.text()}
            self.standin.inject_update("message", self.message(user_id, chat, **content))
        elif kind == "edited":
            edited = self.message(user_id, chat, text=self.text(), edit_date=int(time.time()))
            self.standin.inject_update("edited_message", edited)
        elif kind == "photo":
            self.standin.inject_update("message", self.message(user_id, chat, photo=[_photo()]))
        elif kind == "sticker":
            sticker = {**_photo(), "type": "regular", "is_animated": False, "is_video": False}
            self.standin.inject_update("message", self.message(user_id, chat, sticker=sticker))
        elif kind == "channel":
            channel = {"id": -100600, "type": "channel", "title": "Kanaal"}
            post = {"message_id": 1, "chat": channel, "date": int(time.time()), "text": "/alerts"}
            self.standin.inject_update("channel_post", post)
        elif kind == "member":
            status = rng.choice(["member", "kicked", "left"])
            member = {"user": self.bot, "status": status}
            if status == "kicked":
                member["until_date"] = 0
            self.standin.inject_update(
                "my_chat_member",
                {
                    "chat": chat,
                    "from": self.user(user_id),
                    "date": int(time.time()),
                    "old_chat_member": {"user": self.bot, "status": "member"},
                    "new_chat_member": member,
                },
            )
        else:
            self.press(user_id, chat)

    def press(self, user_id: int, chat: dict) -> None:
        shown = self.standin.bot_messages(chat["id"])
        # Forged data on a message the bot really showed in that chat, as a client would send.
        message = self.rng.choice(shown) if shown else self.message(self.bot["id"], chat, text="x")
        query = {
            "id": str(self.rng.randrange(10**15)),
            "from": self.user(user_id),
            "message": message,
            "chat_instance": "1",
        }
        data = self.callback_data()
        if data is None:
            query["game_short_name"] = "spel"
        else:
            query["data"] = data
        self.standin.inject_update("callback_query", query)


def _photo() -> dict:
    return {"file_id": "AgAD", "file_unique_id": "u1", "width": 10, "height": 10}


@pytest.fixture
async def cast(member, standin, sessionmaker):
    people: dict[int, Role | None] = {}
    for role in (Role.COACH, Role.COACH, Role.TEAMLEAD, Role.PARTNER, Role.ADMIN):
        person = await member(f"Rol {role.value} {len(people)}", role=role)
        people[person.user_id] = role
    for name in ("Anna de Vries", "Bram Jansen", "Cem Yilmaz", "Dirk Smit", "Eva Mulder"):
        person = await member(name)
        people[person.user_id] = Role.COACH
    gone = await member("Oud Lid")
    async with sessionmaker() as session:
        coach = await session.scalar(select(Coach).where(Coach.name == "Oud Lid"))
        coach.active = False
        await session.commit()
    people[gone.user_id] = None
    for user_id in (STRANGER, DEACTIVATED):
        standin.add_user(user_id, "Vreemd")
        people[user_id] = None
    standin.add_group(TEAM_GROUP, "Team", supergroup=True)
    standin.add_group(FOREIGN_GROUP, "Buurt", supergroup=True)
    case = await add_case(sessionmaker, "GZ-1042", "Anna de Vries", "Bram Jansen")
    await add_case(sessionmaker, "GZ-2077", "Rol coach 0")
    await add_alert(sessionmaker, case, taken_by=None, sent_to="Anna de Vries")
    return people


async def test_fuzzed_updates_raise_nothing_and_leak_nothing(standin, bot_app, cast, caplog):
    caplog.set_level(logging.ERROR)
    rng = random.Random(SEED)
    fuzzer = Fuzzer(standin, cast, rng)
    users = list(cast)
    for start in range(0, UPDATES, BATCH):
        for _ in range(min(BATCH, UPDATES - start)):
            fuzzer.one(rng.choice(users))
        await settle(standin, bot_app)

    failures = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR and r.name.startswith(("bot.", "telegram"))
    ]
    assert not failures, f"seed {SEED}: {len(failures)} unhandled\n" + "\n".join(failures[:20])

    leaks = []
    watched = {uid: CARD_SECRETS | CODES for uid, role in cast.items() if role is None}
    watched |= {uid: CARD_SECRETS for uid, role in cast.items() if role is Role.PARTNER}
    watched |= {TEAM_GROUP: CARD_SECRETS | CODES, FOREIGN_GROUP: CARD_SECRETS | CODES}
    for chat_id, secrets in watched.items():
        for message in standin.bot_messages(chat_id):
            text = message.get("text", "")
            leaks += [f"{chat_id}: {s!r} in {text[:80]!r}" for s in secrets if s in text]
    for answer in standin.callback_answers:
        text = answer.get("text") or ""
        leaks += [f"button answer: {s!r}" for s in CARD_SECRETS if s in text]
    assert not leaks, f"seed {SEED}:\n" + "\n".join(leaks[:20])
    # Strangers hear the refusal once (the clock stands still) and otherwise only /start's
    # answers about invite codes.
    for chat_id in (STRANGER, DEACTIVATED):
        texts = [m.get("text", "") for m in standin.bot_messages(chat_id)]
        assert sum(t.startswith("Deze bot is alleen") for t in texts) <= 1, texts
    # The run reached the features: members got answers and buttons were answered.
    members = [uid for uid, role in cast.items() if role is not None]
    assert sum(len(standin.bot_messages(uid)) for uid in members) > UPDATES // 4
    assert len(standin.callback_answers) > UPDATES // 10
    assert standin.bot_messages(FOREIGN_GROUP) == []
    assert FOREIGN_GROUP in standin.left_chats
    too_long = [m for c in cast for m in standin.bot_messages(c) if len(m.get("text", "")) > 4096]
    assert not too_long
