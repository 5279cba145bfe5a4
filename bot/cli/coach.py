"""`achtervang coach …`: add, invite, list and deactivate team members and partners."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import typer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.error import TelegramError

from bot import event_loop
from bot.cli.common import Env, coach_app, fail
from bot.i18n import LANGUAGES, Translator
from bot.models import Coach, Role
from bot.scheduling.clock import SystemClock
from bot.services.audit import trail as audit
from bot.services.cases import holders
from bot.services.team import emails, phones
from bot.services.team.coaches import (
    NAME_MAX,
    BadName,
    DuplicateCoachName,
    add_coach,
    find_by_name,
)
from bot.services.team.enrolment import create_invite


def _bot_username(env: Env) -> str | None:
    if env.settings.telegram_bot_username:
        return env.settings.telegram_bot_username
    token = env.settings.token
    if token is None:
        return None

    async def ask() -> str:
        bot = Bot(token, base_url=env.settings.telegram_api_base_url)
        async with bot:
            return bot.username

    try:
        return event_loop.run(ask())
    except (TelegramError, OSError):
        return None


def _print_invite(env: Env, name: str, code: str, expires: datetime) -> None:
    tr = env.tr
    typer.echo(tr._("Invite code for %(name)s: %(code)s", name=name, code=code))
    typer.echo(tr._("Valid until %(when)s; it works once.", when=tr.datetime(expires, "short")))
    username = _bot_username(env)
    if username:
        typer.echo(tr._("Link: %(link)s", link=f"https://t.me/{username}?start={code}"))
    else:
        typer.echo(tr._("In a private chat with the bot, send: /start %(code)s", code=code))


@coach_app.command("add")
def coach_add(
    name: Annotated[str, typer.Argument(help="Full name, unique within the team.")],
    role: Annotated[Role, typer.Option(help="coach, teamlead, partner or admin.")] = Role.COACH,
    fte: Annotated[float, typer.Option(min=0.1, max=1.5)] = 1.0,
    language: Annotated[str | None, typer.Option(help="nl or en.")] = None,
    caseload_limit: Annotated[int | None, typer.Option(min=1, max=20)] = None,
    phone: Annotated[str | None, typer.Option(help="Mobile number, e.g. 06 12345678.")] = None,
    email: Annotated[str | None, typer.Option(help="Work e-mail address.")] = None,
) -> None:
    """Add a person and print their one-time invite code and link."""
    env = Env()
    number = _phone_or_fail(env, phone) if phone is not None else None
    address = _email_or_fail(env, email) if email is not None else None
    if language is not None and language not in LANGUAGES:
        fail(
            env.tr._("Unknown language. Choose one of: %(options)s.", options=", ".join(LANGUAGES))
        )
    now = SystemClock().now()

    async def work(session: AsyncSession) -> tuple[str, datetime]:
        try:
            coach = await add_coach(
                session,
                name=name,
                role=role,
                config=env.config,
                now=now,
                fte=fte,
                language=language,
                caseload_limit=caseload_limit,
            )
            coach.phone = number
            coach.email = address
        except DuplicateCoachName:
            fail(env.tr._("There is already someone called %(name)s.", name=name))
        except BadName as bad:
            fail(name_problem(env.tr, bad))
        audit.record(
            session, at=now, action="coach.add", outcome="ok", subject=coach.name, detail=role.value
        )
        invite = await create_invite(session, coach, now=now, rules=env.config.enrolment)
        await session.commit()
        return invite

    code, expires = env.in_session(work)
    _print_invite(env, " ".join(name.split()), code, expires)


def name_problem(tr: Translator, bad: BadName) -> str:
    if bad.reason == "too_long":
        return tr._("The name is longer than %(limit)d characters.", limit=NAME_MAX)
    if bad.reason == "control":
        return tr._("The name holds control characters.")
    return tr._("The name must not be empty.")


def _set_contact(env: Env, name: str, detail: Literal["phone", "email"], value: str) -> str:
    """Stores an active member's phone number or e-mail address; returns their stored name."""
    now = SystemClock().now()

    async def work(session: AsyncSession) -> str:
        coach = await find_by_name(session, name)
        if coach is None or not coach.active:
            fail(env.tr._("Nobody active is called %(name)s.", name=name))
        setattr(coach, detail, value)
        # The value itself is staff data and stays out of the audit log.
        audit.record(session, at=now, action=f"coach.{detail}", outcome="ok", subject=coach.name)
        await session.commit()
        return coach.name

    return env.in_session(work)


def _phone_or_fail(env: Env, raw: str) -> str:
    number = phones.normalise(raw)
    if number is None:
        fail(
            env.tr._(
                "'%(number)s' is not a phone number. Write it as 06 12345678 or +31 6 12345678.",
                number=raw[:40],
            )
        )
    return number


@coach_app.command("phone")
def coach_phone(
    name: Annotated[str, typer.Argument()],
    number: Annotated[str, typer.Argument(help="Mobile number, e.g. 06 12345678.")],
) -> None:
    """Set someone's phone number, shown to colleagues who must call them (safety alerts)."""
    env = Env()
    normalised = _phone_or_fail(env, number)
    found = _set_contact(env, name, "phone", normalised)
    typer.echo(env.tr._("Phone number of %(name)s: %(number)s", name=found, number=normalised))


def _email_or_fail(env: Env, raw: str) -> str:
    address = emails.normalise(raw)
    if address is None:
        fail(env.tr._("'%(address)s' is not an e-mail address.", address=raw[:60]))
    return address


@coach_app.command("email")
def coach_email(
    name: Annotated[str, typer.Argument()],
    address: Annotated[str, typer.Argument(help="Work e-mail address.")],
) -> None:
    """Set someone's e-mail address, shown to colleagues next to their phone number."""
    env = Env()
    normalised = _email_or_fail(env, address)
    found = _set_contact(env, name, "email", normalised)
    typer.echo(env.tr._("E-mail address of %(name)s: %(address)s", name=found, address=normalised))


@coach_app.command("invite")
def coach_invite(name: Annotated[str, typer.Argument()]) -> None:
    """Make a new invite code (for an expired code or a new phone); older codes stop working."""
    env = Env()
    now = SystemClock().now()

    async def work(session: AsyncSession) -> tuple[str, str, datetime]:
        coach = await find_by_name(session, name)
        if coach is None or not coach.active:
            fail(env.tr._("Nobody active is called %(name)s.", name=name))
        code, expires = await create_invite(session, coach, now=now, rules=env.config.enrolment)
        await session.commit()
        return coach.name, code, expires

    found, code, expires = env.in_session(work)
    _print_invite(env, found, code, expires)


@coach_app.command("deactivate")
def coach_deactivate(name: Annotated[str, typer.Argument()]) -> None:
    """Take away someone's access at once (leaving the team, lost phone)."""
    env = Env()
    now = SystemClock().now()

    async def work(session: AsyncSession) -> str:
        coach = await find_by_name(session, name)
        if coach is None:
            fail(env.tr._("Nobody active is called %(name)s.", name=name))
        today = env.config.local_date(now)
        held = await holders.may_lose_holding(
            session, coach, role=coach.role, active=False, today=today
        )
        if held:
            fail(
                env.tr._(
                    "%(name)s still holds families (%(codes)s). Reassign them first (/assign, "
                    "or import cases), then deactivate. A lost phone needs no deactivation: "
                    "`coach invite` gives a new code and the old account loses access.",
                    name=coach.name,
                    codes=held.codes(),
                )
            )
        coach.active = False
        coach.telegram_user_id = None
        audit.record(session, at=now, action="coach.deactivate", outcome="ok", subject=coach.name)
        await session.commit()
        return coach.name

    typer.echo(env.tr._("%(name)s no longer has access.", name=env.in_session(work)))


@coach_app.command("list")
def coach_list() -> None:
    """List everyone with role, fte, caseload limit and whether they are enrolled."""
    env = Env()
    tr = env.tr

    async def work(session: AsyncSession) -> list[Coach]:
        return list((await session.scalars(select(Coach).order_by(Coach.name))).all())

    people = env.in_session(work)
    if not people:
        typer.echo(tr._("Nobody has been added yet. Add someone with: achtervang coach add NAME"))
        return
    name, role, fte = tr._("Name"), tr._("Role"), tr._("fte")
    limit, language, status = tr._("Limit"), tr._("Language"), tr._("Status")
    typer.echo(f"{name:30} {role:9} {fte:>4} {limit:>6}  {language:5}  {status}")
    for coach in people:
        status = tr._("enrolled") if coach.telegram_user_id else tr._("not enrolled")
        if not coach.active:
            status = tr._("inactive")
        typer.echo(
            f"{coach.name:30} {coach.role.value:9} {coach.fte:4.2f} "
            f"{coach.caseload_limit:6}  {coach.language:5}  {status}"
        )
