"""`achtervang roster feed …`: the answering service's live roster links. Each consumer gets
a long random token, shown once (only its hash is stored); revoking it ends the link at once."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import Env, fail, roster_app
from bot.models import FEED_ROSTER
from bot.operations.feeds import roster_path
from bot.scheduling.clock import SystemClock
from bot.services.audit import trail as audit
from bot.services.rosters import feed_tokens

feed_app = typer.Typer(no_args_is_help=True, help="Live roster links for the answering service.")
roster_app.add_typer(feed_app, name="feed")
CONSUMER_MAX = 120


def _consumer(env: Env, name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > CONSUMER_MAX:
        fail(env.tr._("Give the consumer a name of 1 to %(limit)d characters.", limit=CONSUMER_MAX))
    return cleaned


@feed_app.command("add")
def feed_add(
    consumer: Annotated[str, typer.Argument(help="Who reads it, e.g. 'antwoorddienst'.")],
) -> None:
    """Make a roster link for a consumer (a new one replaces theirs) and print it once."""
    env = Env()
    tr = env.tr
    name = _consumer(env, consumer)
    now = SystemClock().now()

    async def work(session: AsyncSession) -> str:
        token = await feed_tokens.issue(session, kind=FEED_ROSTER, now=now, consumer=name)
        audit.record(session, at=now, action="feed.add", outcome="ok", subject=name)
        await session.commit()
        return token

    token = env.in_session(work)
    feeds = env.config.feeds
    typer.echo(tr._("Roster links for %(name)s (shown only now; keep them secret):", name=name))
    for extension in ("ics", "csv"):
        path = roster_path(token, extension)
        typer.echo(f"  {feeds.link(path) or path}")
    if feeds.base_url is None:
        typer.echo(
            tr._(
                "Put the address the outside reaches the bot's HTTP side on in the team "
                "config ([feeds] base_url) to print whole links."
            )
        )


@feed_app.command("revoke")
def feed_revoke(consumer: Annotated[str, typer.Argument()]) -> None:
    """End a consumer's roster link at once."""
    env = Env()
    name = _consumer(env, consumer)
    now = SystemClock().now()

    async def work(session: AsyncSession) -> int:
        ended = await feed_tokens.revoke(session, kind=FEED_ROSTER, now=now, consumer=name)
        if ended:
            audit.record(session, at=now, action="feed.revoke", outcome="ok", subject=name)
        await session.commit()
        return ended

    if not env.in_session(work):
        fail(env.tr._("%(name)s has no roster link.", name=name))
    typer.echo(env.tr._("The roster link of %(name)s no longer works.", name=name))


@feed_app.command("list")
def feed_list() -> None:
    """Consumers with a working roster link, and since when."""
    env = Env()
    tr = env.tr

    async def work(session: AsyncSession) -> list[tuple[str, str]]:
        found = await feed_tokens.active(session, FEED_ROSTER)
        return [(t.consumer or "?", tr.datetime(t.created_at, "d MMM yyyy HH:mm")) for t in found]

    rows = env.in_session(work)
    if not rows:
        typer.echo(tr._("No roster links. Make one with: achtervang roster feed add NAME"))
        return
    for name, since in rows:
        typer.echo(tr._("%(name)s, since %(when)s", name=name, when=since))
