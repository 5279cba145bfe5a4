"""The stand-in, exercised through the real python-telegram-bot client."""

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    MessageEntity,
    Update,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes

from bot.standin.standin import BotApiStandIn, NoBotOutput

ANNA = 1001
BERT = 1002


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn() as server:
        server.add_user(ANNA, "Anna", username="anna_coach")
        server.add_user(BERT, "Bert", language_code="en")
        yield server


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    async with Bot(
        standin.token, base_url=standin.base_url, base_file_url=standin.base_file_url
    ) as client:
        yield client


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.title(), callback_data=d) for d in data]])


async def test_get_me_describes_the_bot(bot: Bot, standin: BotApiStandIn) -> None:
    me = await bot.get_me()

    assert me.id == 123456
    assert me.is_bot
    assert me.username == "achtervang_test_bot"
    assert me.can_join_groups and not me.can_read_all_group_messages
    assert me.api_kwargs == {}  # every field we send is one PTB knows


async def test_get_updates_delivers_a_command_with_its_entity(
    bot: Bot, standin: BotApiStandIn
) -> None:
    await standin.send_message(ANNA, "👋 /start@achtervang_test_bot now")

    (update,) = await bot.get_updates(timeout=5)

    message = update.message
    assert message.from_user.id == ANNA and message.chat.type == "private"
    (entity,) = message.entities
    assert entity.type == MessageEntity.BOT_COMMAND
    # Offsets count UTF-16 code units: the emoji is two of them.
    assert (entity.offset, entity.length) == (3, len("/start@achtervang_test_bot"))
    assert message.parse_entity(entity) == "/start@achtervang_test_bot"


async def test_get_updates_long_polls_and_respects_offset(bot: Bot, standin: BotApiStandIn) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    # Yield (never sleep) until the server holds the request; it parks without yielding.
    while not standin.calls:  # noqa: ASYNC110
        await asyncio.sleep(0)
    assert not poll.done()

    await standin.send_message(ANNA, "/start")
    (first,) = await asyncio.wait_for(poll, 2)  # well before its 5 s timeout
    await standin.send_message(ANNA, "hallo")

    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [first.update_id, first.update_id + 1]

    rest = await bot.get_updates(offset=first.update_id + 1, timeout=0)
    assert [u.message.text for u in rest] == ["hallo"]
    assert await bot.get_updates(offset=first.update_id + 2, timeout=0) == ()


async def test_inline_keyboard_round_trips_into_bot_messages(
    bot: Bot, standin: BotApiStandIn
) -> None:
    await standin.send_message(ANNA, "/start")

    sent = await bot.send_message(ANNA, "Neem je de dienst?", reply_markup=keyboard("ja", "nee"))

    assert sent.reply_markup == keyboard("ja", "nee")
    (stored,) = standin.bot_messages(ANNA)
    assert stored["message_id"] == sent.message_id == 2  # the user's /start was 1
    assert stored["reply_markup"] == keyboard("ja", "nee").to_dict()
    assert (await standin.next_message(ANNA))["text"] == "Neem je de dienst?"


async def test_html_is_parsed_into_entities_and_broken_html_is_refused(
    bot: Bot, standin: BotApiStandIn
) -> None:
    await standin.send_message(ANNA, "/start")

    sent = await bot.send_message(ANNA, "<b>Dienst</b> voor Jan &amp; Piet", parse_mode="HTML")

    assert sent.text == "Dienst voor Jan & Piet"
    assert sent.entities == (MessageEntity(MessageEntity.BOLD, 0, 6),)
    with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "piet" at byte offset 4'):
        await bot.send_message(ANNA, "Jan <Piet> belt", parse_mode="HTML")


async def test_pressed_button_arrives_as_callback_query_and_answer_is_recorded(
    bot: Bot, standin: BotApiStandIn
) -> None:
    await standin.send_message(ANNA, "/start")
    sent = await bot.send_message(ANNA, "Neem je de dienst?", reply_markup=keyboard("ja"))
    updates = await bot.get_updates(timeout=0)

    query_id = await standin.press_button(ANNA, ANNA, sent.message_id, "ja")

    (update,) = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    query = update.callback_query
    assert query.id == query_id and query.data == "ja"
    assert query.from_user.id == ANNA
    assert query.message.message_id == sent.message_id
    assert query.message.reply_markup == keyboard("ja")
    assert await query.answer("Genoteerd", show_alert=True)
    assert standin.callback_answers[-1]["text"] == "Genoteerd"
    assert standin.callback_answers[-1]["show_alert"] is True
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer()


async def test_pressing_a_button_that_is_not_there_is_refused(
    bot: Bot, standin: BotApiStandIn
) -> None:
    await standin.send_message(ANNA, "/start")
    sent = await bot.send_message(ANNA, "Neem je de dienst?", reply_markup=keyboard("ja"))

    with pytest.raises(ValueError, match="no button with callback_data 'nee'"):
        await standin.press_button(ANNA, ANNA, sent.message_id, "nee")


async def test_edit_changes_the_message_and_is_a_new_event(
    bot: Bot, standin: BotApiStandIn
) -> None:
    await standin.send_message(ANNA, "/start")
    sent = await bot.send_message(ANNA, "Neem je de dienst?", reply_markup=keyboard("ja"))
    assert (await standin.next_message(ANNA))["text"] == "Neem je de dienst?"

    edited = await bot.edit_message_text("Dienst is van jou", ANNA, sent.message_id)

    assert edited.edit_date is not None
    event = await standin.next_message(ANNA)
    assert event["text"] == "Dienst is van jou" and "edit_date" in event
    # An edit without reply_markup removes the keyboard, as on Telegram.
    (stored,) = standin.bot_messages(ANNA)
    assert stored["text"] == "Dienst is van jou" and "reply_markup" not in stored
    await standin.expect_silence(ANNA, 0.05)


async def test_edit_errors_match_telegram(bot: Bot, standin: BotApiStandIn) -> None:
    await standin.send_message(ANNA, "/start")
    sent = await bot.send_message(ANNA, "Zelfde", reply_markup=keyboard("ja"))

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Zelfde", ANNA, sent.message_id, reply_markup=keyboard("ja"))
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(ANNA, sent.message_id, reply_markup=keyboard("ja"))
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("Anders", ANNA, 99)
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("Anders", ANNA, 1)  # the user's own /start


async def test_reachability_follows_telegram(bot: Bot, standin: BotApiStandIn) -> None:
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation with a user"):
        await bot.send_message(BERT, "Hallo")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(4242, "Hallo")

    await standin.send_message(BERT, "/start")
    standin.block(BERT)

    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(BERT, "Hallo")
    updates = await bot.get_updates(timeout=0)
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"

    standin.unblock(BERT)
    assert (await bot.send_message(BERT, "Welkom terug")).text == "Welkom terug"


async def test_group_privacy_mode_delivers_only_commands_and_mentions(
    bot: Bot, standin: BotApiStandIn
) -> None:
    standin.add_group(-500, "Team Noord")

    await standin.send_message(ANNA, "goedemorgen", chat_id=-500)
    await standin.send_message(ANNA, "📅 /rooster@achtervang_test_bot", chat_id=-500)
    await standin.send_message(ANNA, "/rooster@other_bot", chat_id=-500)
    await standin.send_message(ANNA, "🙂 /help", chat_id=-500)

    first, second = await bot.get_updates(timeout=0)
    assert first.message.chat.id == -500 and first.message.chat.type == "group"
    assert first.message.text == "📅 /rooster@achtervang_test_bot"
    assert second.message.text == "🙂 /help"
    assert (await bot.send_message(-500, "Rooster volgt")).chat.title == "Team Noord"


# PTB itself reads the deprecated int-valued RetryAfter.retry_after while building the error.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_fail_next_429_raises_retry_after(bot: Bot, standin: BotApiStandIn) -> None:
    await standin.send_message(ANNA, "/start")
    standin.fail_next("sendMessage", retry_after=7)

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ANNA, "Hallo")

    assert "Retry in 7 seconds" in caught.value.message  # .retry_after is mid-deprecation
    assert (await bot.send_message(ANNA, "Hallo")).text == "Hallo"


async def test_fail_next_500_raises_network_error(bot: Bot, standin: BotApiStandIn) -> None:
    await standin.send_message(ANNA, "/start")
    standin.fail_next("sendMessage", error_code=500, times=2)

    for _ in range(2):
        with pytest.raises(NetworkError, match=r"(?i)Internal Server Error"):
            await bot.send_message(ANNA, "Hallo")
    await bot.send_message(ANNA, "Hallo")

    assert [m["text"] for m in standin.bot_messages(ANNA)] == ["Hallo"]
    assert [name for name, _ in standin.calls].count("sendMessage") == 3


async def test_commands_are_stored_per_scope_and_language(bot: Bot, standin: BotApiStandIn) -> None:
    dutch = [BotCommand("rooster", "Toon het rooster")]
    english = [BotCommand("rooster", "Show the roster")]
    await bot.set_my_commands(dutch, scope=BotCommandScopeDefault(), language_code="nl")
    await bot.set_my_commands(english, scope=BotCommandScopeDefault(), language_code="en")
    await bot.set_my_commands(english, scope=BotCommandScopeChat(ANNA))

    assert await bot.get_my_commands(language_code="nl") == tuple(dutch)
    assert await bot.get_my_commands(language_code="en") == tuple(english)
    assert await bot.get_my_commands() == ()
    assert standin.commands(language_code="nl") == [
        {"command": "rooster", "description": "Toon het rooster"}
    ]
    assert standin.commands({"type": "chat", "chat_id": ANNA}) == [c.to_dict() for c in english]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Rooster", "hoofdletter")])

    await bot.delete_my_commands(language_code="nl")
    assert standin.commands(language_code="nl") == []


async def test_send_document_stores_the_upload(bot: Bot, standin: BotApiStandIn) -> None:
    await standin.send_message(ANNA, "/start")
    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"

    sent = await bot.send_document(
        ANNA, InputFile(content, filename="rooster.ics"), caption="Je rooster"
    )

    assert sent.document.file_name == "rooster.ics"
    assert sent.document.file_size == len(content)
    (document,) = standin.documents(ANNA)
    assert document["content"] == content
    assert document["mime_type"] == "text/calendar"
    assert (await standin.next_message(ANNA))["caption"] == "Je rooster"
    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == content


async def test_unknown_method_is_recorded(bot: Bot, standin: BotApiStandIn) -> None:
    await standin.send_message(ANNA, "/start")

    with pytest.raises(InvalidToken, match="method not found"):  # PTB maps 404 to InvalidToken
        await bot.send_poll(ANNA, "Wie neemt de dienst?", ["Anna", "Bert"])

    assert standin.unsupported_calls == ["sendPoll"]


async def test_wrong_token_is_unauthorized(standin: BotApiStandIn) -> None:
    stranger = Bot("999:WRONG", base_url=standin.base_url, base_file_url=standin.base_file_url)

    with pytest.raises(InvalidToken):
        await stranger.get_me()


async def test_next_message_timeout_explains_what_happened(
    bot: Bot, standin: BotApiStandIn
) -> None:
    await standin.send_message(ANNA, "/start")
    with pytest.raises(BadRequest):
        await bot.send_message(ANNA, "<b>kapot", parse_mode="HTML")

    with pytest.raises(NoBotOutput, match=r"(?s)chat 1001.*Can.t find end tag") as caught:
        await standin.next_message(ANNA, timeout=0.05)
    assert isinstance(caught.value, asyncio.TimeoutError)


async def test_raw_requests_accept_json_bodies_and_get(standin: BotApiStandIn) -> None:
    await standin.send_message(ANNA, "/start")
    api = f"{standin.base_url}{standin.token}"
    markup = {"inline_keyboard": [[{"text": "Ja", "callback_data": "ja"}]]}

    async with aiohttp.ClientSession() as http:
        async with http.get(f"{api}/getMe") as response:
            me = await response.json()
        async with http.post(
            f"{api}/sendMessage", json={"chat_id": ANNA, "text": "123", "reply_markup": markup}
        ) as response:
            sent = await response.json()
        async with http.post(f"{api}/sendMessage", data={"chat_id": "42", "text": "x"}) as response:
            refused = (response.status, await response.json())

    assert me["ok"] and me["result"]["username"] == "achtervang_test_bot"
    assert sent["result"]["text"] == "123"  # a numeric-looking text stays a string
    assert sent["result"]["reply_markup"] == markup
    assert refused == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    )


async def test_http_control_side(bot: Bot, standin: BotApiStandIn) -> None:
    control = standin.base_url.removesuffix("/bot") + "/control"

    async with aiohttp.ClientSession(raise_for_status=True) as http:
        await http.post(f"{control}/users", json={"user_id": 1003, "first_name": "Cor"})
        await http.post(f"{control}/send", json={"user_id": 1003, "text": "/start"})
        sent = await bot.send_message(1003, "Kies", reply_markup=keyboard("a"))
        pressed = await (
            await http.post(
                f"{control}/press",
                json={
                    "user_id": 1003,
                    "chat_id": 1003,
                    "message_id": sent.message_id,
                    "callback_data": "a",
                },
            )
        ).json()
        messages = await (await http.get(f"{control}/chats/1003/messages")).json()
        events = await (await http.get(f"{control}/events?after=1&timeout=1")).json()

    assert [(m["text"], m["from_bot"]) for m in messages] == [("/start", False), ("Kies", True)]
    assert [e["type"] for e in events["events"]] == ["message"] and events["last"] == 2
    updates = await bot.get_updates(timeout=0)
    assert updates[-1].callback_query.id == pressed["callback_query_id"]


async def test_http_control_side_serves_documents_and_refuses_missing_buttons(
    bot: Bot, standin: BotApiStandIn
) -> None:
    control = standin.base_url.removesuffix("/bot") + "/control"
    await standin.send_message(ANNA, "/start")
    sent = await bot.send_document(ANNA, InputFile(b"a;b\n", filename="lijst.csv"))

    async with aiohttp.ClientSession() as http:
        async with http.get(f"{control}/documents/{sent.document.file_id}") as response:
            body = await response.read()
            disposition = response.headers["Content-Disposition"]
        async with http.post(
            f"{control}/press",
            json={"user_id": ANNA, "chat_id": ANNA, "message_id": 2, "callback_data": "x"},
        ) as response:
            refused = (response.status, await response.json())

    assert body == b"a;b\n" and "lijst.csv" in disposition
    assert refused[0] == 400 and "no button" in refused[1]["error"]


async def test_application_polls_and_replies_end_to_end(standin: BotApiStandIn) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"echo {' '.join(context.args)}")

    application: Application = (
        ApplicationBuilder()
        .token(standin.token)
        .base_url(standin.base_url)
        .base_file_url(standin.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("echo", echo))
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0)
        try:
            await standin.send_message(ANNA, "/echo hallo daar")
            reply = await standin.next_message(ANNA)
        finally:
            await application.updater.stop()
            await application.stop()

    assert reply["text"] == "echo hallo daar"
    assert standin.unsupported_calls == []
    assert standin.api_errors == []
