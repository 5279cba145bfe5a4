"""HTTP routes: the Bot API under /bot{token}/, file downloads, and the /control/ side."""

import asyncio
import copy
import inspect
import logging
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.standin.encoding import ApiError, error_response, ok_response, read_request
from bot.standin.methods import METHODS
from bot.standin.state import World

WORLD = web.AppKey("world", World)
_LOG = logging.getLogger(__name__)
_UPLOAD_LIMIT = 50 * 1024 * 1024  # Telegram's limit for files sent by bots


def build_app(world: World) -> web.Application:
    app = web.Application(client_max_size=_UPLOAD_LIMIT)
    app[WORLD] = world
    app.add_routes(
        [
            web.route("*", "/bot{token}/{method}", bot_api),
            web.get("/file/bot{token}/{path:.+}", download_file),
            web.post("/control/users", control_add_user),
            web.post("/control/send", control_send),
            web.post("/control/press", control_press),
            web.get("/control/chats/{chat_id}/messages", control_chat_messages),
            web.get("/control/events", control_events),
            web.get("/control/documents/{file_id}", control_document),
        ]
    )
    return app


async def bot_api(request: web.Request) -> web.Response:
    world = request.app[WORLD]
    if request.match_info["token"] != world.token:
        return error_response(ApiError(401, "Unauthorized"))
    method = request.match_info["method"]
    params: dict[str, Any] = {}
    try:
        params, uploads = await read_request(request)
        world.calls.append((method, {**params, **_describe_uploads(uploads)}))
        if method == "getUpdates":
            result = await _poll(world, request, params, uploads)
        else:
            result = await _answer(world, method, params, uploads)
    except _Dropped:
        if request.transport is not None:
            request.transport.abort()
        raise web.HTTPServiceUnavailable() from None  # never seen: the connection is gone
    except ApiError as error:
        if request.transport is None or request.transport.is_closing():
            return error_response(error)  # the client hung up; nobody saw this answer
        world.api_errors.append(
            {
                "method": method,
                "params": params,
                "error_code": error.error_code,
                "description": error.description,
            }
        )
        return error_response(error)
    return ok_response(result)


async def _poll(world: World, request: web.Request, params: dict, uploads: dict) -> Any:
    """getUpdates, noting any other client's getUpdates still waiting meanwhile."""
    transport = request.transport
    peer = transport.get_extra_info("peername")[:2] if transport is not None else ("?", 0)
    for other, other_peer in list(world.polls_waiting.items()):
        if not other.is_closing():
            world.poll_overlaps.append((other_peer, peer))
    if transport is not None:
        world.polls_waiting[transport] = peer
    try:
        return await _answer(world, "getUpdates", params, uploads)
    finally:
        if transport is not None:
            world.polls_waiting.pop(transport, None)


class _Dropped(Exception):
    """A fault asked for the connection to be closed without an answer."""


async def _answer(world: World, method: str, params: dict[str, Any], uploads: dict) -> Any:
    fault = world.take_fault(method, params)
    if fault is not None and fault.delay:
        await asyncio.sleep(fault.delay)
    if fault is not None and fault.drop:
        raise _Dropped
    if fault is not None and fault.error_code:
        raise ApiError(fault.error_code, fault.description, fault.retry_after)
    handler = METHODS.get(method.lower())
    if handler is None:
        world.unsupported_calls.append(method)
        raise ApiError(404, "Not Found: method not found")
    try:
        result = handler(world, params, uploads)
        if inspect.isawaitable(result):
            result = await result
    except ApiError:
        raise
    except Exception as exc:
        # A stand-in bug must not pass for a network hiccup that PTB quietly retries.
        _LOG.exception("stand-in failed on %s", method)
        raise ApiError(500, f"Internal Server Error: stand-in failed: {exc!r}") from exc
    return result


def _describe_uploads(uploads: dict) -> dict[str, dict]:
    return {
        name: {"file_name": u.filename, "mime_type": u.mime_type, "file_size": len(u.content)}
        for name, u in uploads.items()
    }


async def download_file(request: web.Request) -> web.Response:
    world = request.app[WORLD]
    if request.match_info["token"] != world.token:
        return error_response(ApiError(401, "Unauthorized"))
    for file in world.files.values():
        if file["file_path"] == request.match_info["path"]:
            return web.Response(body=file["content"], content_type=file["mime_type"])
    return error_response(ApiError(404, "Not Found"))


# -- control side -----------------------------------------------------------------------


async def _control_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="JSON object expected") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="JSON object expected")
    return body


def _refused(error: Exception) -> web.Response:
    return web.json_response({"error": str(error)}, status=400)


async def control_add_user(request: web.Request) -> web.Response:
    body = await _control_body(request)
    try:
        user = request.app[WORLD].add_user(
            int(body["user_id"]),
            str(body["first_name"]),
            body.get("last_name"),
            body.get("username"),
            body.get("language_code", "nl"),
        )
    except (KeyError, ValueError) as exc:
        return _refused(exc)
    return web.json_response(user)


async def control_send(request: web.Request) -> web.Response:
    body = await _control_body(request)
    chat_id = body.get("chat_id")
    try:
        message = request.app[WORLD].user_says(
            int(body["user_id"]), str(body["text"]), None if chat_id is None else int(chat_id)
        )
    except (KeyError, ValueError) as exc:
        return _refused(exc)
    return web.json_response(message)


async def control_press(request: web.Request) -> web.Response:
    body = await _control_body(request)
    try:
        query_id = request.app[WORLD].press(
            int(body["user_id"]),
            int(body["chat_id"]),
            int(body["message_id"]),
            str(body["callback_data"]),
        )
    except (KeyError, ValueError) as exc:
        return _refused(exc)
    return web.json_response({"callback_query_id": query_id})


async def control_chat_messages(request: web.Request) -> web.Response:
    world = request.app[WORLD]
    try:
        chat = world.chats.get(int(request.match_info["chat_id"]))
    except ValueError as exc:
        return _refused(exc)
    if chat is None:
        return web.json_response([])
    bot_id = world.bot_user["id"]
    return web.json_response(
        [
            {**copy.deepcopy(m), "from_bot": m["from"]["id"] == bot_id}
            for m in chat.messages.values()
        ]
    )


async def control_events(request: web.Request) -> web.Response:
    world = request.app[WORLD]
    try:
        after = int(request.query.get("after", 0))
        timeout = min(float(request.query.get("timeout", 0)), 60.0)
    except ValueError as exc:
        return _refused(exc)
    await world.output_signal.wait_for(lambda: len(world.events) > after or world.closing, timeout)
    return web.json_response({"events": world.events[after:], "last": len(world.events)})


async def control_document(request: web.Request) -> web.Response:
    file = request.app[WORLD].files.get(request.match_info["file_id"])
    if file is None:
        raise web.HTTPNotFound(text="unknown file_id")
    return web.Response(
        body=file["content"],
        content_type=file["mime_type"],
        # RFC 6266 form, so names with quotes or non-ASCII characters survive in a browser.
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(file['file_name'])}"},
    )
