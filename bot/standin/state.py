"""The simulated Telegram world: users, chats, messages, the update queue and the event log.

Everything here is synchronous and runs on one event loop; waiters are woken through
Signal, so control calls such as block() can stay plain functions.

Longer than 400 lines because `World` is the one object a test drives (users, chats, the
update queue, faults, the event log); spread over mixins, one simulated Telegram would be
harder to follow, not easier.
"""

import asyncio
import copy
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.standin.formatting import bot_command_entities, bot_commands

# Telegram's delivery default when a bot never chose allowed_updates (or chose []).
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class Signal:
    """Wakes every current waiter; notify() is callable from synchronous code."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], seconds: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            event = self._event
            try:
                async with asyncio.timeout(remaining):
                    await event.wait()
            except TimeoutError:
                return predicate()
        return True


@dataclass
class ChatState:
    info: dict
    messages: dict[int, dict] = field(default_factory=dict)
    next_message_id: int = 1
    # Snapshots of what the bot showed (new messages and edits), in order, for next_message.
    output: list[dict] = field(default_factory=list)
    consumed: int = 0
    reply_keyboard: dict | None = None


@dataclass
class Fault:
    error_code: int
    description: str
    retry_after: int | None
    times: int
    # Close the connection without an answer (before the call is carried out).
    drop: bool = False
    # Seconds to wait before answering (or failing): a slow Telegram. With error_code 0 the
    # call is then carried out as usual.
    delay: float = 0.0


def scope_key(scope: dict | None, language_code: str) -> tuple[str, str]:
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""


class World:
    def __init__(
        self, token: str, bot_username: str, clock: Callable[[], float] | None = None
    ) -> None:
        self.token = token
        # Telegram's clock, for message dates: tests tie it to the bot's own (manual) clock.
        self.clock = clock or time.time
        self.bot_user: dict = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Achtervang (test)",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.users: dict[int, dict] = {}
        self.chats: dict[int, ChatState] = {}
        self.blocked: set[int] = set()
        self.left_chats: set[int] = set()
        self.updates: list[dict] = []
        self.next_update_id = 1
        self.allowed_updates: list[str] = []
        self.poll_generation = 0
        # getUpdates requests being answered, by the client's address; a getUpdates arriving
        # while one from another, still connected client waits is an overlap: two pollers.
        self.polls_waiting: dict[asyncio.BaseTransport, tuple[str, int]] = {}
        self.poll_overlaps: list[tuple[tuple[str, int], tuple[str, int]]] = []
        self.events: list[dict] = []
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.files: dict[str, dict] = {}
        self.callback_queries: dict[str, dict] = {}
        self.callback_answers: list[dict] = []
        self.calls: list[tuple[str, dict]] = []
        self.unsupported_calls: list[str] = []
        self.api_errors: list[dict] = []
        self.faults: dict[str, list[Fault]] = {}
        # method -> (fraction of calls, the faults to pick from, seeded random source, and
        # the one chat it applies to, if only one)
        self.random_faults: dict[str, tuple[float, list[Fault], random.Random, int | None]] = {}
        self.closing = False
        self.updates_signal = Signal()
        self.output_signal = Signal()

    def now(self) -> int:
        return int(self.clock())

    # -- people and chats ---------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str,
    ) -> dict:
        if user_id <= 0:
            raise ValueError(f"user ids are positive, got {user_id}")
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        return copy.deepcopy(user)

    def add_group(self, chat_id: int, title: str, supergroup: bool) -> dict:
        if chat_id >= 0:
            raise ValueError(f"group chat ids are negative, got {chat_id}")
        info = {"id": chat_id, "title": title, "type": "supergroup" if supergroup else "group"}
        self.chats[chat_id] = ChatState(info)
        return copy.deepcopy(info)

    def user(self, user_id: int) -> dict:
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id}; add_user() first")
        return self.users[user_id]

    def private_chat(self, user_id: int) -> ChatState:
        """The user's private chat with the bot, which exists once the user wrote to it."""
        if user_id not in self.chats:
            user = self.user(user_id)
            info = {"id": user_id, "type": "private", "first_name": user["first_name"]}
            info.update({k: user[k] for k in ("last_name", "username") if k in user})
            self.chats[user_id] = ChatState(info)
        return self.chats[user_id]

    def set_blocked(self, user_id: int, blocked: bool) -> None:
        user = self.user(user_id)
        if (user_id in self.blocked) == blocked:
            return
        if blocked:
            self.blocked.add(user_id)
        else:
            self.blocked.discard(user_id)
        if user_id not in self.chats:
            return  # Telegram reports membership changes only for chats the bot is in
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        bot_member = {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
        kicked_extra = {"until_date": 0}
        self.enqueue(
            "my_chat_member",
            {
                "chat": copy.deepcopy(self.chats[user_id].info),
                "from": copy.deepcopy(user),
                "date": self.now(),
                "old_chat_member": {
                    "user": bot_member,
                    "status": old,
                    **(kicked_extra if old == "kicked" else {}),
                },
                "new_chat_member": {
                    "user": bot_member,
                    "status": new,
                    **(kicked_extra if new == "kicked" else {}),
                },
            },
        )

    # -- messages -----------------------------------------------------------------------

    def new_message(
        self, chat: ChatState, sender: dict, content: dict, date: int | None = None
    ) -> dict:
        message = {
            "message_id": chat.next_message_id,
            "from": copy.deepcopy(sender),
            "chat": copy.deepcopy(chat.info),
            "date": self.now() if date is None else date,
            **content,
        }
        chat.next_message_id += 1
        chat.messages[message["message_id"]] = message
        from_bot = sender["id"] == self.bot_user["id"]
        if from_bot:
            chat.output.append(copy.deepcopy(message))
        self.log_message_event("message", chat.info["id"], message, from_bot=from_bot)
        return message

    def edited(self, chat: ChatState, message: dict) -> None:
        message["edit_date"] = self.now()
        chat.output.append(copy.deepcopy(message))
        self.log_message_event("edit", chat.info["id"], message, from_bot=True)

    def deleted(self, chat: ChatState, message_id: int) -> None:
        message = chat.messages.pop(message_id)
        from_bot = message["from"]["id"] == self.bot_user["id"]
        self.log_message_event("delete", chat.info["id"], message, from_bot=from_bot)

    def user_says(
        self, user_id: int, text: str, chat_id: int | None, date: int | None = None
    ) -> dict:
        user = self.user(user_id)
        if not text.strip(" \t\n\r"):
            # Clients trim ASCII whitespace; a lone U+3000 or U+00A0 does get through.
            raise ValueError("Telegram clients do not send empty messages")
        if chat_id is None or chat_id == user_id:
            # Writing to a bot you blocked means pressing "Restart", which unblocks it.
            chat = self.private_chat(user_id)
            self.set_blocked(user_id, False)
        elif chat_id in self.chats and chat_id < 0:
            chat = self.chats[chat_id]
        else:
            raise ValueError(f"unknown group {chat_id}; add_group() first")
        content: dict[str, Any] = {"text": text}
        entities = bot_command_entities(text)
        if entities:
            content["entities"] = entities
        message = self.new_message(chat, user, content, date)
        if chat.info["id"] in self.left_chats:
            return copy.deepcopy(message)
        if chat.info["type"] == "private" or self._addressed_to_bot(text):
            self.enqueue("message", copy.deepcopy(message))
        return copy.deepcopy(message)

    def user_edits(self, user_id: int, chat_id: int, message_id: int, text: str) -> dict:
        """The user edits a message they sent: Telegram sends an edited_message update."""
        chat = self.chats.get(chat_id)
        message = chat.messages.get(message_id) if chat else None
        if chat is None or message is None or message["from"]["id"] != user_id:
            raise ValueError(f"user {user_id} sent no message {message_id} in chat {chat_id}")
        if not text.strip():
            raise ValueError("Telegram clients do not send empty messages")
        message["text"] = text
        message.pop("entities", None)
        entities = bot_command_entities(text)
        if entities:
            message["entities"] = entities
        message["edit_date"] = self.now()
        self.log_message_event("edit", chat_id, message, from_bot=False)
        if chat.info["type"] == "private" or self._addressed_to_bot(text):
            self.enqueue("edited_message", copy.deepcopy(message))
        return copy.deepcopy(message)

    def user_shares_location(
        self, user_id: int, latitude: float, longitude: float, live_period: int | None
    ) -> dict:
        """A location (live when live_period is given) in the user's private chat."""
        chat = self.private_chat(user_id)
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if live_period is not None:
            location["live_period"] = live_period
        message = self.new_message(chat, self.user(user_id), {"location": location})
        self.enqueue("message", copy.deepcopy(message))
        return copy.deepcopy(message)

    def user_moves(self, user_id: int, message_id: int, latitude: float, longitude: float) -> None:
        """A live location moves: Telegram sends the edited message."""
        chat = self.private_chat(user_id)
        message = chat.messages[message_id]
        message["location"] = {**message["location"], "latitude": latitude, "longitude": longitude}
        message["edit_date"] = self.now()
        self.enqueue("edited_message", copy.deepcopy(message))

    def _addressed_to_bot(self, text: str) -> bool:
        # Privacy mode (can_read_all_group_messages is False): a group message reaches the
        # bot only when it is a command for this bot or mentions it.
        username = self.bot_user["username"].lower()
        if f"@{username}" in text.lower():
            return True
        return any(c.partition("@")[2].lower() in ("", username) for c in bot_commands(text))

    def press(self, user_id: int, chat_id: int, message_id: int, data: str) -> str:
        user = self.user(user_id)
        chat = self.chats.get(chat_id)
        if chat is None or message_id not in chat.messages:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        if chat.info["type"] == "private" and chat_id != user_id:
            raise ValueError(f"user {user_id} cannot press buttons in {chat_id}'s private chat")
        if user_id in self.blocked:
            raise ValueError(f"user {user_id} blocked the bot and cannot press its buttons")
        message = chat.messages[message_id]
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        offered = [b["callback_data"] for row in rows for b in row if "callback_data" in b]
        if data not in offered:
            raise ValueError(
                f"message {message_id} in chat {chat_id} has no button with callback_data "
                f"{data!r}; it offers {offered}"
            )
        query_id = str(4_000_000_000_000_000 + len(self.callback_queries) + 1)
        self.callback_queries[query_id] = {
            "user_id": user_id,
            "chat_id": chat_id,
            "message_id": message_id,
            "data": data,
            "answered": False,
        }
        self.enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": copy.deepcopy(user),
                "message": copy.deepcopy(message),
                "chat_instance": str(abs(chat_id) * 7_919 + 1_000_000_007),
                "data": data,
            },
        )
        return query_id

    # -- updates and events -------------------------------------------------------------

    def enqueue(self, kind: str, payload: dict) -> None:
        allowed = self.allowed_updates
        if (allowed and kind not in allowed) or (not allowed and kind in _NOT_DELIVERED_BY_DEFAULT):
            return
        self.updates.append({"update_id": self.next_update_id, kind: payload})
        self.next_update_id += 1
        self.updates_signal.notify()

    def confirm_updates(self, offset: int) -> None:
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        # Waiters for "everything delivered" watch the same signal as long polls.
        self.updates_signal.notify()

    def log_event(self, kind: str, chat_id: int, **fields: Any) -> None:
        event = {"seq": len(self.events) + 1, "type": kind, "chat_id": chat_id}
        self.events.append({**event, **copy.deepcopy(fields)})
        self.output_signal.notify()

    def log_message_event(self, kind: str, chat_id: int, message: dict, *, from_bot: bool) -> None:
        self.log_event(kind, chat_id, from_bot=from_bot, message=message)

    # -- files and fault injection ------------------------------------------------------

    def store_file(self, filename: str, mime_type: str, content: bytes) -> dict:
        number = len(self.files) + 1
        suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        file: dict[str, Any] = {
            "file_id": f"BQACAgQAAxkDAAI{number:08d}",
            "file_unique_id": f"AgAD{number:06d}",
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": len(content),
            "file_path": f"documents/file_{number}.{suffix}",
            "content": content,
        }
        self.files[file["file_id"]] = file
        return file

    def take_fault(self, method: str, params: dict[str, Any] | None = None) -> Fault | None:
        queue = self.faults.get(method.lower())
        if not queue:
            return self._random_fault(method.lower(), params or {})
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        return fault

    def _random_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        chosen = self.random_faults.get(method)
        if chosen is None:
            return None
        fraction, faults, source, chat_id = chosen
        if chat_id is not None and str(params.get("chat_id")) != str(chat_id):
            return None
        return source.choice(faults) if source.random() < fraction else None

    def close(self) -> None:
        self.closing = True
        self.updates_signal.notify()
        self.output_signal.notify()
