"""BotApiStandIn: run the stand-in and act as Telegram's users from Python tests."""

import copy
import random
from collections.abc import Callable
from types import TracebackType
from typing import Self

from aiohttp import web

from bot.standin.server import build_app
from bot.standin.state import ChatState, Fault, World, scope_key

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class NoBotOutput(AssertionError, TimeoutError):
    """The bot did not show what a test waited for (an AssertionError and a TimeoutError)."""


class BotApiStandIn:
    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "achtervang_test_bot",
        host: str = "127.0.0.1",
        port: int = 0,
        extend_app: Callable[[web.Application], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        # `clock` gives Telegram's time (epoch seconds) for message dates; the system's if None.
        self._world = World(token, bot_username, clock)
        self._host = host
        self.port = port
        self._runner: web.AppRunner | None = None
        # The sandbox serves its web chat from the same server, next to the Bot API.
        self._extend_app = extend_app

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        # Cancelling handlers whose client hung up ends long polls PTB abandoned at shutdown.
        app = build_app(self._world)
        if self._extend_app is not None:
            self._extend_app(app)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, handler_cancellation=True)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, self.port).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._world.close()  # releases long polls so shutdown does not wait for them
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def token(self) -> str:
        return self._world.token

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._host}:{self.port}/file/bot"

    @property
    def bot_user(self) -> dict:
        return copy.deepcopy(self._world.bot_user)

    # -- what the bot did ---------------------------------------------------------------

    @property
    def calls(self) -> list[tuple[str, dict]]:
        """Every Bot API call with its decoded parameters, including refused ones."""
        return self._world.calls

    @property
    def unsupported_calls(self) -> list[str]:
        """Methods (and parse modes) the stand-in does not implement but the bot used."""
        return self._world.unsupported_calls

    @property
    def callback_answers(self) -> list[dict]:
        return self._world.callback_answers

    @property
    def api_errors(self) -> list[dict]:
        """Every call answered with an error: method, params, error_code, description."""
        return self._world.api_errors

    @property
    def left_chats(self) -> set[int]:
        """Groups the bot left (leaveChat)."""
        return set(self._world.left_chats)

    @property
    def poll_overlaps(self) -> list[tuple[tuple[str, int], tuple[str, int]]]:
        """Pairs of client addresses whose getUpdates waited at the same time: two pollers."""
        return self._world.poll_overlaps

    def bot_messages(self, chat_id: int) -> list[dict]:
        chat = self._world.chats.get(chat_id)
        if chat is None:
            return []
        return [copy.deepcopy(m) for m in chat.messages.values() if self._from_bot(m)]

    def documents(self, chat_id: int) -> list[dict]:
        return [
            {
                **m["document"],
                "message_id": m["message_id"],
                "content": self._world.files[m["document"]["file_id"]]["content"],
            }
            for m in self.bot_messages(chat_id)
            if "document" in m
        ]

    def reply_keyboard(self, chat_id: int) -> dict | None:
        """The custom (non-inline) keyboard the bot currently shows in that chat."""
        chat = self._world.chats.get(chat_id)
        return copy.deepcopy(chat.reply_keyboard) if chat else None

    def commands(self, scope: dict | None = None, language_code: str = "") -> list[dict]:
        return copy.deepcopy(self._world.commands.get(scope_key(scope, language_code), []))

    async def next_message(self, chat_id: int, timeout: float = 5.0) -> dict:  # noqa: ASYNC109
        """The next new message or edit the bot made in that chat that was not yet taken."""

        if not await self._world.output_signal.wait_for(lambda: self._unread(chat_id), timeout):
            raise NoBotOutput(self._explain_silence(chat_id, timeout))
        chat = self._world.chats[chat_id]
        message = chat.output[chat.consumed]
        chat.consumed += 1
        return copy.deepcopy(message)

    async def wait_until_delivered(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Returns once the bot has confirmed every pending update (asked for a later offset)."""
        if not await self._world.updates_signal.wait_for(lambda: not self._world.updates, timeout):
            pending = [u["update_id"] for u in self._world.updates]
            raise NoBotOutput(f"the bot did not fetch updates {pending} within {timeout}s")

    async def expect_silence(self, chat_id: int, seconds: float = 0.3) -> None:
        if await self._world.output_signal.wait_for(lambda: self._unread(chat_id), seconds):
            chat = self._world.chats[chat_id]
            unexpected = [_summary(m) for m in chat.output[chat.consumed :]]
            raise AssertionError(f"expected silence in chat {chat_id}, bot showed {unexpected}")

    def _unread(self, chat_id: int) -> bool:
        chat = self._world.chats.get(chat_id)
        return chat is not None and chat.consumed < len(chat.output)

    def _explain_silence(self, chat_id: int, timeout: float) -> str:
        chat: ChatState | None = self._world.chats.get(chat_id)
        seen = [_summary(m) for m in chat.output] if chat else []
        errors = [
            f"{e['method']} -> {e['error_code']} {e['description']}"
            for e in self._world.api_errors
            if e["params"].get("chat_id") == chat_id
        ]
        return (
            f"no new bot message in chat {chat_id} within {timeout}s\n"
            f"  already taken: {', '.join(seen) or 'nothing'}\n"
            f"  refused calls for this chat: {'; '.join(errors) or 'none'}\n"
            f"  unsupported calls: {', '.join(self._world.unsupported_calls) or 'none'}"
        )

    def _from_bot(self, message: dict) -> bool:
        return message["from"]["id"] == self._world.bot_user["id"]

    # -- acting as Telegram's users -----------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "nl",
    ) -> dict:
        return self._world.add_user(user_id, first_name, last_name, username, language_code)

    def add_group(self, chat_id: int, title: str, *, supergroup: bool = False) -> dict:
        return self._world.add_group(chat_id, title, supergroup)

    def open_chat(self, user_id: int) -> None:
        """The user opened a private chat with the bot earlier (pressed Start), so the bot may
        write to them, without an update for the bot to handle now."""
        self._world.private_chat(user_id)

    def block(self, user_id: int) -> None:
        self._world.set_blocked(user_id, True)

    def unblock(self, user_id: int) -> None:
        self._world.set_blocked(user_id, False)

    async def send_message(
        self, user_id: int, text: str, *, chat_id: int | None = None, date: int | None = None
    ) -> dict:
        """The user writes to the bot (private chat) or in a group; returns the Message.
        `date` (epoch seconds) backdates it: a message that reaches the bot late."""
        return self._world.user_says(user_id, text, chat_id, date)

    async def edit_message(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> dict:
        """The user edits a message they sent earlier; the bot gets an edited_message."""
        return self._world.user_edits(user_id, chat_id or user_id, message_id, text)

    async def share_location(
        self, user_id: int, latitude: float, longitude: float, *, live_period: int | None = None
    ) -> dict:
        """The user shares a location (a live one with live_period) in their private chat."""
        return self._world.user_shares_location(user_id, latitude, longitude, live_period)

    async def move_live_location(
        self, user_id: int, message_id: int, latitude: float, longitude: float
    ) -> None:
        """The user's live location moves: the bot gets an edited_message."""
        self._world.user_moves(user_id, message_id, latitude, longitude)

    async def press_button(
        self, user_id: int, chat_id: int, message_id: int, callback_data: str
    ) -> str:
        """The user presses an inline button that is on screen; returns the callback query id."""
        return self._world.press(user_id, chat_id, message_id, callback_data)

    def inject_update(self, kind: str, payload: dict) -> None:
        """Queues an update as given: what a forged client or an odd update kind sends (a
        button press with data no button had, a photo, an edited message, a channel post).
        A message in a known chat is stored there first, and a button press is registered, so
        the bot can answer them as it would on Telegram."""
        payload = copy.deepcopy(payload)
        world = self._world
        chat_info = payload.get("chat") or (payload.get("message") or {}).get("chat") or {}
        if chat_info.get("type") == "private" and chat_info.get("id") in world.users:
            world.private_chat(chat_info["id"])  # writing to a bot opens the chat
        if kind in ("message", "edited_message") and payload["chat"]["id"] in world.chats:
            chat = world.chats[payload["chat"]["id"]]
            if kind == "message":
                payload["message_id"] = chat.next_message_id
                chat.next_message_id += 1
            chat.messages.setdefault(payload["message_id"], copy.deepcopy(payload))
        if kind == "callback_query":
            message = payload.get("message") or {}
            world.callback_queries[payload["id"]] = {
                "user_id": payload["from"]["id"],
                "chat_id": message.get("chat", {}).get("id"),
                "message_id": message.get("message_id"),
                "data": payload.get("data"),
                "answered": False,
            }
        world.enqueue(kind, payload)

    # -- fault injection ----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        error_code: int | None = None,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        drop: bool = False,
    ) -> None:
        """Answer the next `times` calls of `method` with an error; 429 if retry_after is set.
        With drop=True the connection is closed instead, before the call is carried out (the
        client sees a network error, and nothing happened)."""
        fault = _fault(error_code, description, retry_after, times, drop)
        self._world.faults.setdefault(method.lower(), []).append(fault)

    def slow_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next `times` calls of `method` correctly, but only after `seconds`."""
        fault = Fault(0, "", None, times, delay=seconds)
        self._world.faults.setdefault(method.lower(), []).append(fault)

    def fail_randomly(
        self,
        methods: list[str],
        fraction: float,
        faults: list[dict],
        *,
        seed: int = 0,
        chat_id: int | None = None,
    ) -> None:
        """From now on answer about `fraction` of the calls of each of `methods` (those to
        `chat_id` only, if given: Telegram's flood control is per chat) with one of `faults`
        (fail_next's keyword arguments, without times), picked at random from a seeded
        source; fraction 0 stops it. Faults queued with fail_next come first."""
        for method in methods:
            if not fraction:
                self._world.random_faults.pop(method.lower(), None)
                continue
            picks = [_fault(**fault, times=1) for fault in faults]
            source = random.Random(f"{seed}:{method}")
            self._world.random_faults[method.lower()] = (fraction, picks, source, chat_id)


def _fault(
    error_code: int | None = None,
    description: str | None = None,
    retry_after: int | None = None,
    times: int = 1,
    drop: bool = False,
) -> Fault:
    code = error_code or (429 if retry_after is not None else 500)
    if description is None and code == 429:
        description = "Too Many Requests" + (
            f": retry after {retry_after}" if retry_after is not None else ""
        )
    elif description is None:
        description = _DEFAULT_DESCRIPTIONS.get(code, "Internal Server Error")
    return Fault(code, description, retry_after, times, drop)


def _summary(message: dict) -> str:
    if "text" in message:
        body = repr(message["text"])
    elif "document" in message:
        body = f"document {message['document']['file_name']!r}"
    else:
        body = "message"
    edited = " (edit)" if "edit_date" in message else ""
    return f"#{message['message_id']} {body}{edited}"
