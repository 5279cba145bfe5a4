"""The Bot API methods the stand-in answers, with Telegram's result shapes and error texts.

Longer than 400 lines because it is one table: a short function per Bot API method the bot
calls, and the `METHODS` map at the end. Split by topic, a reader looking up a method would
have to guess the file first."""

import copy
import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.standin.encoding import ApiError, Upload, bad_request, forbidden
from bot.standin.formatting import EntityParseError, parse_html, trim
from bot.standin.state import ChatState, World, scope_key

Handler = Callable[[World, dict[str, Any], dict[str, Upload]], Any | Awaitable[Any]]

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_TEXT_LIMIT = 4096
_CAPTION_LIMIT = 1024


# -- shared checks ----------------------------------------------------------------------


def target_chat(world: World, chat_id: Any) -> ChatState:
    """The chat the bot wants to write to, refused exactly as Telegram refuses it."""
    if chat_id in (None, ""):
        raise bad_request("chat_id is empty")
    if not isinstance(chat_id, int):
        raise bad_request("chat not found")
    if chat_id > 0:
        if chat_id not in world.users:
            raise bad_request("chat not found")
        if chat_id in world.blocked:
            raise forbidden("bot was blocked by the user")
        if chat_id not in world.chats:
            raise forbidden("bot can't initiate conversation with a user")
    elif chat_id not in world.chats:
        raise bad_request("chat not found")
    elif chat_id in world.left_chats:
        raise forbidden("bot is not a member of the group chat")
    return world.chats[chat_id]


def formatted(
    world: World, params: dict[str, Any], text_key: str, entities_key: str
) -> tuple[str, list[dict]]:
    raw = params.get(text_key, "")
    text = raw if isinstance(raw, str) else str(raw)
    entities = params.get(entities_key)
    mode = str(params.get("parse_mode") or "")
    if entities:
        well_formed = isinstance(entities, list) and all(
            isinstance(e, dict) and {"type", "offset", "length"} <= e.keys() for e in entities
        )
        if not well_formed:
            raise bad_request(f"can't parse {entities_key} JSON object")
        return trim(text, entities)
    if mode.lower() == "html":
        try:
            return trim(*parse_html(text))
        except EntityParseError as exc:
            raise bad_request(str(exc)) from None
    if mode.lower() in ("markdown", "markdownv2"):
        # Not parsed here: flag it so a test suite notices instead of trusting raw markup.
        world.unsupported_calls.append(f"parse_mode={mode}")
    elif mode:
        raise bad_request("unsupported parse_mode")
    return trim(text, [])


def inline_markup(params: dict[str, Any], *, allow_reply_keyboard: bool) -> dict | None:
    """The inline keyboard to show on the message, or None; reply keyboards returned as-is."""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        if allow_reply_keyboard and (
            "keyboard" in markup or "remove_keyboard" in markup or "force_reply" in markup
        ):
            return markup
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for button in (b for row in rows for b in row):
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise bad_request(
                'can\'t parse inline keyboard button: Field "text" must be of type String'
            )
        if not _BUTTON_ACTIONS.intersection(button):
            raise bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the "
                "inline keyboard"
            )
        if "callback_data" in button and not 1 <= len(str(button["callback_data"]).encode()) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    # Telegram drops a keyboard without buttons instead of echoing it.
    return markup if any(rows) else None


def attach_markup(chat: ChatState, params: dict[str, Any], content: dict) -> None:
    markup = inline_markup(params, allow_reply_keyboard=True)
    if markup is None:
        return
    if "inline_keyboard" in markup:
        content["reply_markup"] = markup
    elif "keyboard" in markup:
        # Telegram does not echo reply keyboards in the Message; the chat shows them.
        chat.reply_keyboard = markup
    elif markup.get("remove_keyboard"):
        chat.reply_keyboard = None


def attach_reply(chat: ChatState, params: dict[str, Any], content: dict) -> None:
    reply = params.get("reply_parameters")
    if reply is None and "reply_to_message_id" in params:
        reply = {"message_id": params["reply_to_message_id"]}
    if not isinstance(reply, dict):
        return
    message_id = reply.get("message_id")
    original = chat.messages.get(message_id) if message_id is not None else None
    if original is not None:
        content["reply_to_message"] = {
            k: v for k, v in copy.deepcopy(original).items() if k != "reply_to_message"
        }
    elif not (
        reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply")
    ):
        raise bad_request("message to be replied not found")


def own_message(world: World, params: dict[str, Any], missing: str) -> tuple[ChatState, dict]:
    if "inline_message_id" in params:
        raise bad_request("MESSAGE_ID_INVALID")
    chat = target_chat(world, params.get("chat_id"))
    message_id = params.get("message_id")
    if not isinstance(message_id, int):
        raise bad_request("message identifier is not specified")
    message = chat.messages.get(message_id)
    if message is None:
        raise bad_request(missing)
    if message["from"]["id"] != world.bot_user["id"]:
        raise bad_request("message can't be edited")
    return chat, message


# -- methods ----------------------------------------------------------------------------


def get_me(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> dict:
    return world.bot_user


async def get_updates(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> list:
    if params.get("offset"):
        world.confirm_updates(params["offset"])
    if isinstance(params.get("allowed_updates"), list):
        world.allowed_updates = params["allowed_updates"]
    limit = min(max(params.get("limit") or 100, 1), 100)
    timeout = max(params.get("timeout") or 0, 0)
    # Like Telegram, a newer getUpdates ends an older one that is still waiting.
    world.poll_generation += 1
    generation = world.poll_generation
    world.updates_signal.notify()
    await world.updates_signal.wait_for(
        lambda: bool(world.updates) or world.closing or world.poll_generation != generation,
        timeout,
    )
    if world.poll_generation != generation:
        raise ApiError(
            409,
            "Conflict: terminated by other getUpdates request; make sure that only one bot "
            "instance is running",
        )
    return copy.deepcopy(world.updates[:limit])


def delete_webhook(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
    if params.get("drop_pending_updates"):
        world.updates.clear()
    return True


def get_webhook_info(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> dict:
    return {"url": "", "has_custom_certificate": False, "pending_update_count": len(world.updates)}


def always_true(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
    return True


def send_message(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> dict:
    chat = target_chat(world, params.get("chat_id"))
    text, entities = formatted(world, params, "text", "entities")
    if not text:
        raise bad_request("message text is empty")
    if len(text) > _TEXT_LIMIT:
        raise bad_request("message is too long")
    content: dict[str, Any] = {"text": text}
    if entities:
        content["entities"] = entities
    attach_reply(chat, params, content)
    attach_markup(chat, params, content)
    return world.new_message(chat, world.bot_user, content)


def edit_message_text(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> dict:
    chat, message = own_message(world, params, "message to edit not found")
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    text, entities = formatted(world, params, "text", "entities")
    if not text:
        raise bad_request("message text is empty")
    if len(text) > _TEXT_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")
    # Leaving reply_markup out of an edit removes the inline keyboard, as on Telegram.
    markup = inline_markup(params, allow_reply_keyboard=False)
    unchanged = (
        message["text"] == text
        and message.get("entities", []) == entities
        and message.get("reply_markup") == markup
    )
    if unchanged:
        raise bad_request(NOT_MODIFIED)
    message["text"] = text
    _set_optional(message, "entities", entities)
    _set_optional(message, "reply_markup", markup)
    world.edited(chat, message)
    return message


def edit_message_reply_markup(
    world: World, params: dict[str, Any], uploads: dict[str, Upload]
) -> dict:
    chat, message = own_message(world, params, "message to edit not found")
    markup = inline_markup(params, allow_reply_keyboard=False)
    if message.get("reply_markup") == markup:
        raise bad_request(NOT_MODIFIED)
    _set_optional(message, "reply_markup", markup)
    world.edited(chat, message)
    return message


def _set_optional(message: dict, key: str, value: Any) -> None:
    if value:
        message[key] = value
    else:
        message.pop(key, None)


def delete_message(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
    chat_id = params.get("chat_id")
    chat = world.chats.get(chat_id) if chat_id is not None else None
    if chat is None:
        raise bad_request("chat not found")
    if params.get("message_id") not in chat.messages:
        raise bad_request("message to delete not found")
    world.deleted(chat, params["message_id"])
    return True


def answer_callback_query(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
    query_id = str(params.get("callback_query_id", ""))
    query = world.callback_queries.get(query_id)
    if query is None or query["answered"]:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    query["answered"] = True
    answer = {
        "callback_query_id": query_id,
        "text": params.get("text"),
        "show_alert": bool(params.get("show_alert")),
        "url": params.get("url"),
        "cache_time": params.get("cache_time"),
        "user_id": query["user_id"],
        "chat_id": query["chat_id"],
        "message_id": query["message_id"],
    }
    world.callback_answers.append(answer)
    world.log_event("callback_answer", query["chat_id"], answer=answer)
    return True


def set_my_commands(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
    commands = params.get("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.fullmatch(str(command.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    key = scope_key(params.get("scope"), str(params.get("language_code") or ""))
    if commands:
        world.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
    else:
        world.commands.pop(key, None)
    return True


def get_my_commands(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> list:
    key = scope_key(params.get("scope"), str(params.get("language_code") or ""))
    return world.commands.get(key, [])


def delete_my_commands(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
    world.commands.pop(scope_key(params.get("scope"), str(params.get("language_code") or "")), None)
    return True


def send_document(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> dict:
    chat = target_chat(world, params.get("chat_id"))
    document = params.get("document")
    if isinstance(document, str) and document.startswith("attach://"):
        upload = uploads.get(document.removeprefix("attach://"))
    else:
        upload = uploads.get("document")
    if upload is not None:
        if not upload.content:
            raise bad_request("file must be non-empty")
        file = world.store_file(upload.filename, upload.mime_type, upload.content)
    elif isinstance(document, str) and document in world.files:
        file = world.files[document]
    elif document:
        raise bad_request("wrong file identifier/HTTP URL specified")
    else:
        raise bad_request("there is no document in the request")
    caption, caption_entities = formatted(world, params, "caption", "caption_entities")
    if len(caption) > _CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    public = ("file_name", "mime_type", "file_id", "file_unique_id", "file_size")
    content: dict[str, Any] = {"document": {k: file[k] for k in public}}
    if caption:
        content["caption"] = caption
    if caption_entities:
        content["caption_entities"] = caption_entities
    attach_reply(chat, params, content)
    attach_markup(chat, params, content)
    return world.new_message(chat, world.bot_user, content)


def get_file(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> dict:
    file = world.files.get(str(params.get("file_id", "")))
    if file is None:
        raise bad_request("invalid file_id")
    return {k: file[k] for k in ("file_id", "file_unique_id", "file_size", "file_path")}


def send_chat_action(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
    target_chat(world, params.get("chat_id"))
    if params.get("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def get_chat(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> dict:
    chat_id = params.get("chat_id")
    chat = world.chats.get(chat_id) if chat_id is not None else None
    if chat is None:
        raise bad_request("chat not found")
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
    return {
        **chat.info,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            **dict.fromkeys(gifts, True),
            "gifts_from_channels": True,
        },
    }


def leave_chat(world: World, params: dict[str, Any], uploads: dict[str, Upload]) -> bool:
    chat_id = params.get("chat_id")
    if not isinstance(chat_id, int) or chat_id >= 0:
        raise bad_request("chat not found")
    target_chat(world, chat_id)
    world.left_chats.add(chat_id)
    world.log_event("left", chat_id)
    return True


# Telegram matches method names case-insensitively.
METHODS: dict[str, Handler] = {
    name.lower(): handler
    for name, handler in {
        "getMe": get_me,
        "getUpdates": get_updates,
        "deleteWebhook": delete_webhook,
        "getWebhookInfo": get_webhook_info,
        "logOut": always_true,
        "close": always_true,
        "sendMessage": send_message,
        "editMessageText": edit_message_text,
        "editMessageReplyMarkup": edit_message_reply_markup,
        "deleteMessage": delete_message,
        "answerCallbackQuery": answer_callback_query,
        "setMyCommands": set_my_commands,
        "getMyCommands": get_my_commands,
        "deleteMyCommands": delete_my_commands,
        "sendDocument": send_document,
        "getFile": get_file,
        "sendChatAction": send_chat_action,
        "getChat": get_chat,
        "leaveChat": leave_chat,
    }.items()
}
