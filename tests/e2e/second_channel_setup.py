"""Local destinations for the second channel: an SMTP server (aiosmtpd) and an HTTP listener
that Apprise's json:// posts to, both on loopback."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiohttp import web
from aiosmtpd.controller import Controller

from tests.process.instances import poll


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Mailbox:
    """What the SMTP server received, as parsed messages."""

    port: int
    received: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def url(self, to: str) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=achtervang@gemeente.test&to={to}"

    def serve(self) -> Controller:
        controller = Controller(self, hostname="127.0.0.1", port=self.port)
        controller.start()
        return controller


@asynccontextmanager
async def mailbox(port: int | None = None) -> AsyncIterator[Mailbox]:
    box = Mailbox(port or free_port())
    controller = box.serve()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Listener:
    port: int
    posts: list[dict] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"json://127.0.0.1:{self.port}/{path}"


@asynccontextmanager
async def listener() -> AsyncIterator[Listener]:
    found = Listener(free_port())

    async def take(request: web.Request) -> web.Response:
        found.posts.append({"path": request.path, **await request.json()})
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/{path:.*}", take)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", found.port).start()
    try:
        yield found
    finally:
        await runner.cleanup()


async def wait_for(check, what: str, seconds: float = 10.0) -> None:
    """Apprise sends from a worker thread, so what arrives is polled for."""
    await poll(check, what, seconds)


def body_of(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""
