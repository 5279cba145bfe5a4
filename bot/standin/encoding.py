"""How Bot API requests arrive and how answers leave.

PTB sends form fields (urlencoded, or multipart when uploading) in which every non-string
value is a JSON document in a string: chat_id "123", show_alert "true", reply_markup
'{"inline_keyboard": ...}'. Plain strings are sent raw, so only fields known to carry JSON
may be decoded: a message text "123" must stay a string.
"""

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

JSON_FIELDS = frozenset(
    {
        "allow_sending_without_reply",
        "allowed_updates",
        "caption_entities",
        "commands",
        "disable_content_type_detection",
        "disable_notification",
        "disable_web_page_preview",
        "drop_pending_updates",
        "entities",
        "link_preview_options",
        "protect_content",
        "reply_markup",
        "reply_parameters",
        "scope",
        "show_alert",
    }
)
INT_FIELDS = frozenset(
    {
        "cache_time",
        "chat_id",
        "limit",
        "message_id",
        "message_thread_id",
        "offset",
        "reply_to_message_id",
        "timeout",
        "user_id",
    }
)


class ApiError(Exception):
    """A failed Bot API call, answered the way Telegram answers it."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    return ApiError(403, f"Forbidden: {detail}")


@dataclass(frozen=True)
class Upload:
    filename: str
    mime_type: str
    content: bytes


async def read_request(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Collect query, JSON, urlencoded and multipart parameters, decoded to Python values."""
    raw: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as exc:
                raise bad_request("can't parse JSON encoded request parameters") from exc
            if not isinstance(body, dict):
                raise bad_request("JSON object expected as request parameters")
            raw.update(body)
        else:
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    uploads[name] = Upload(value.filename, value.content_type, value.file.read())
                else:
                    raw[name] = value
    return decode_params(raw), uploads


def decode_params(raw: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, value in raw.items():
        if name in JSON_FIELDS and isinstance(value, str):
            params[name] = _json_field(name, value)
        elif name in INT_FIELDS and isinstance(value, str):
            params[name] = _int_field(name, value)
        else:
            params[name] = value
    return params


def _json_field(name: str, value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError as exc:
        what = "reply keyboard markup" if name == "reply_markup" else name
        raise bad_request(f"can't parse {what} JSON object") from exc


def _int_field(name: str, value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        if name == "chat_id":
            return value  # "@channelname" is a valid chat_id; lookup fails later as in Telegram
        raise bad_request(f"invalid {name} specified") from None


def ok_response(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def error_response(error: ApiError) -> web.Response:
    body: dict[str, Any] = {
        "ok": False,
        "error_code": error.error_code,
        "description": error.description,
    }
    if error.retry_after is not None:
        body["parameters"] = {"retry_after": error.retry_after}
    return web.json_response(body, status=error.error_code)
