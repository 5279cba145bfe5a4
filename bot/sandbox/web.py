"""The sandbox's web chat: a page and two JSON endpoints, served next to the stand-in's Bot API.

The page talks to the stand-in's /control/ side to send, press and follow events; these
routes add what only the sandbox knows: who may be picked, in which role, and the labels
in the reader's language.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config.team import TeamConfig
from bot.handlers.replies import role_label
from bot.i18n import Translator, supported, translator
from bot.models import Coach, Role
from bot.standin import BotApiStandIn

STATIC_DIR = Path(__file__).resolve().parent / "static"


@dataclass
class SandboxContext:
    config: TeamConfig
    sessionmaker: async_sessionmaker[AsyncSession]
    visitor_id: int
    standin: BotApiStandIn | None = field(default=None, repr=False)
    instance: str = field(default_factory=lambda: secrets.token_hex(6))


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    role: str
    language: str


SANDBOX = web.AppKey("sandbox", SandboxContext)
_ROLE_ORDER = (Role.COACH, Role.TEAMLEAD, Role.ADMIN, Role.PARTNER)


def install(app: web.Application, context: SandboxContext) -> None:
    app[SANDBOX] = context
    app.router.add_get("/", _to_page)
    app.router.add_get("/sandbox", _to_page)
    app.router.add_get("/sandbox/", _page)
    app.router.add_static("/sandbox/static/", STATIC_DIR)
    app.router.add_get("/sandbox/api/setup", _setup)
    app.router.add_get("/sandbox/api/commands/{user_id}", _commands)


async def enrolled_members(context: SandboxContext, standin: BotApiStandIn) -> list[Member]:
    """Everyone who can use the bot, each made known to the stand-in as a Telegram user.

    Read on every call, so someone enrolled while the sandbox runs can be picked too."""
    async with context.sessionmaker() as session:
        coaches = await session.scalars(
            select(Coach).where(Coach.active.is_(True), Coach.telegram_user_id.is_not(None))
        )
        members = [
            Member(c.telegram_user_id, c.name, c.role.value, c.language)
            for c in sorted(coaches, key=lambda c: (_ROLE_ORDER.index(c.role), c.name))
            if c.telegram_user_id is not None
        ]
    for member in members:
        first, _, last = member.name.partition(" ")
        standin.add_user(
            member.user_id, first, last_name=last or None, language_code=member.language
        )
    return members


async def _to_page(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/sandbox/")


async def _page(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC_DIR / "index.html")


async def _setup(request: web.Request) -> web.Response:
    context = request.app[SANDBOX]
    assert context.standin is not None, "the sandbox sets its stand-in before serving"
    language = supported(request.query.get("lang") or context.config.default_language)
    tr = translator(language, context.config.tz)
    members = await enrolled_members(context, context.standin)
    people = [{**asdict(m), "role_label": role_label(tr, Role(m.role))} for m in members]
    # Someone to try the refusal and the enrolment with, until they enrol themselves.
    if all(m.user_id != context.visitor_id for m in members):
        visitor = tr._("Someone not enrolled")
        context.standin.add_user(context.visitor_id, visitor, language_code=language)
        people.append(
            {
                "user_id": context.visitor_id,
                "name": visitor,
                "role": "",
                "language": language,
                "role_label": tr._("not enrolled"),
            }
        )
    group = None
    if context.config.team_chat_id is not None:
        group = {"chat_id": context.config.team_chat_id, "title": context.config.team_name}
    return web.json_response(
        {
            "language": language,
            "timezone": context.config.timezone,
            "labels": _labels(tr),
            # What a browser remembers (read up to, buttons pressed) belongs to this run.
            "instance": context.instance,
            "people": people,
            "group": group,
        }
    )


def _labels(tr: Translator) -> dict[str, str]:
    return {
        "title": tr._("Achtervang sandbox"),
        "intro": tr._("An invented team on this computer only: nothing goes to Telegram."),
        "who": tr._("Who are you?"),
        "pick": tr._("Pick a person to chat with the bot as them."),
        "private": tr._("Chat with the bot"),
        "group": tr._("Team group"),
        "placeholder": tr._("Message or /command"),
        "send": tr._("Send"),
        "edited": tr._("edited"),
        "refused": tr._("Not sent: %(reason)s", reason="{reason}"),
        "empty_chat": tr._("No messages yet. Send /help to see what the bot can do."),
        "empty_group": tr._(
            "No messages in the team group yet. Handovers and swap offers appear here."
        ),
        "pressed": tr._("You pressed: %(button)s", button="{button}"),
    }


async def _commands(request: web.Request) -> web.Response:
    """The command menu Telegram would show this user: their own, else their language's."""
    context = request.app[SANDBOX]
    assert context.standin is not None
    try:
        user_id = int(request.match_info["user_id"])
    except ValueError:
        raise web.HTTPBadRequest(text="user_id must be a number") from None
    language = request.query.get("lang", "")
    for scope, code in (({"type": "chat", "chat_id": user_id}, ""), (None, language), (None, "")):
        menu = context.standin.commands(scope, code)
        if menu:
            return web.json_response(menu)
    return web.json_response([])
