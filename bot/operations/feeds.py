"""The live roster links on the HTTP side of `achtervang run`:

    /feed/roster/TOKEN.ics and .csv   the answering service: every duty, gaps, numbers
    /feed/calendar/TOKEN.ics          one coach's shifts, for their phone's calendar

Whatever is wrong with a token (unknown, revoked, malformed, a coach who left) gets the same
bare 404: the answer tells a guesser nothing, not even that the path exists."""

from __future__ import annotations

import re

from aiohttp import web

from bot.models import FEED_CALENDAR, FEED_ROSTER, Coach
from bot.runtime import Runtime
from bot.services.rosters import feed, feed_tokens
from bot.services.rosters.ics import MEDIA_TYPE

CALENDAR_ICS = "/feed/calendar/{token}.ics"
_RUNTIME: web.AppKey[Runtime] = web.AppKey("runtime", Runtime)
# A feed is the roster at this moment: no cache on the way may keep an older one.
_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def roster_path(token: str, extension: str) -> str:
    return f"/feed/roster/{token}.{extension}"


def calendar_path(token: str) -> str:
    return CALENDAR_ICS.format(token=token)


def add_routes(app: web.Application, runtime: Runtime) -> None:
    app[_RUNTIME] = runtime
    # One route for everything under /feed/: a path of no known shape gets the same bare
    # 404 as a wrong token, not aiohttp's own page.
    app.router.add_get("/feed/{path:.*}", _any_feed)


_SHAPES = (
    (re.compile(r"roster/([A-Za-z0-9_-]+)\.ics"), "roster_ics"),
    (re.compile(r"roster/([A-Za-z0-9_-]+)\.csv"), "roster_csv"),
    (re.compile(r"calendar/([A-Za-z0-9_-]+)\.ics"), "calendar_ics"),
)


async def _any_feed(request: web.Request) -> web.Response:
    path = request.match_info["path"]
    for shape, handler in _SHAPES:
        if found := shape.fullmatch(path):
            return await _HANDLERS[handler](request, found[1])
    return _not_found()


def _not_found() -> web.Response:
    return web.Response(status=404)


async def _roster(request: web.Request, token: str, extension: str) -> web.Response:
    runtime = request.app[_RUNTIME]
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        if await feed_tokens.holder(session, FEED_ROSTER, token) is None:
            return _not_found()
        export = await feed.roster(session, runtime.config, now)
        numbers = await feed.phones_of(session, export.shifts)
    # The answering service reads it in the team's language.
    tr = runtime.translator()
    if extension == "csv":
        body = feed.to_csv(tr, export.shifts, numbers)
        return web.Response(body=body, content_type="text/csv", charset="utf-8", headers=_HEADERS)
    name = tr._("%(team)s: duty roster", team=runtime.config.team_name)
    body = feed.to_ics(tr, export.shifts, numbers, name=name, stamp=now)
    return web.Response(body=body, content_type=MEDIA_TYPE, charset="utf-8", headers=_HEADERS)


async def roster_ics(request: web.Request, token: str) -> web.Response:
    return await _roster(request, token, "ics")


async def roster_csv(request: web.Request, token: str) -> web.Response:
    return await _roster(request, token, "csv")


async def calendar_ics(request: web.Request, token: str) -> web.Response:
    runtime = request.app[_RUNTIME]
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        found = await feed_tokens.holder(session, FEED_CALENDAR, token)
        coach = await session.get(Coach, found.coach_id) if found and found.coach_id else None
        if coach is None:
            return _not_found()
        shifts = await feed.own_shifts(session, runtime.config, now, coach)
    tr = runtime.translator(coach.language)
    name = tr._("Achtervang: shifts of %(name)s", name=coach.name)
    body = feed.to_ics(tr, shifts, {}, name=name, stamp=now)
    return web.Response(body=body, content_type=MEDIA_TYPE, charset="utf-8", headers=_HEADERS)


_HANDLERS = {"roster_ics": roster_ics, "roster_csv": roster_csv, "calendar_ics": calendar_ics}
