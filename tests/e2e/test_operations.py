"""/readyz, /metrics and the heartbeat, served over loopback next to the real bot.

The scheduler is stalled the way a hung tick would stall it: the alert tick waits for its lock,
held by the test."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import make_url
from telegram.error import BadRequest, Forbidden

from bot import schema
from bot.config.team import TeamConfig
from bot.db import make_engine, make_sessionmaker
from bot.operations import heartbeat, http
from bot.operations.health import HealthCheck
from bot.operations.status import STATUS, Role
from bot.scheduling.jobs import _ALERT_LOCK
from tests.e2e.harness import buttons
from tests.e2e.team_setup import crisis_config, crisis_team
from tests.process.instances import poll


@pytest.fixture
def config() -> TeamConfig:
    config = crisis_config()
    # The scheduler's alert tick runs five times a second; the roster tick hardly at all.
    alerts = config.alerts.model_copy(update={"tick": timedelta(seconds=0.2)})
    return config.model_copy(update={"alerts": alerts})


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
def active() -> Iterator[None]:
    """This process is the active instance, as leadership would have it."""
    STATUS.set_role(Role.ACTIVE)
    yield
    STATUS.set_role(Role.STARTING)


@contextlib.asynccontextmanager
async def endpoints(check: HealthCheck) -> AsyncIterator[str]:
    async with http.serving(check, "127.0.0.1", 0) as port:
        yield f"http://127.0.0.1:{port}"


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        return response.status, await response.text()


async def ready(base: str) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as client, client.get(f"{base}/readyz") as response:
        return response.status, await response.json()


async def is_ready(base: str, expected: bool) -> bool:
    status, body = await ready(base)
    return (status == 200) is expected and body["ready"] is expected


@contextlib.asynccontextmanager
async def stalled_scheduler(bot_app) -> AsyncIterator[None]:
    lock = bot_app.bot_data.setdefault(_ALERT_LOCK, asyncio.Lock())
    async with lock:
        yield


async def test_readyz_goes_unready_when_the_scheduler_stalls(bot_app, runtime, active):
    check = HealthCheck(runtime.sessionmaker, runtime.clock, max_tick_age=1.5)
    async with endpoints(check) as base:
        assert await get(f"{base}/healthz") == (200, '{"alive": true}')
        await poll(lambda: is_ready(base, True), "ready once the scheduler ticked", 10)
        status, body = await ready(base)
        assert body["role"] == "active" and body["database"] == "ok"
        assert body["outbox_backlog"] == 0 and body["oldest_due_age_seconds"] == 0

        async with stalled_scheduler(bot_app):
            await poll(lambda: is_ready(base, False), "unready while the scheduler hangs", 10)
            status, body = await ready(base)
            assert status == 503 and body["problems"] == ["scheduler not ticking"]
            assert body["last_tick_age_seconds"] > 1.5
            assert (await get(f"{base}/healthz"))[0] == 200  # alive all the same
        await poll(lambda: is_ready(base, True), "ready again", 10)


class TcpProxy:
    """Loopback TCP proxy to the database, to take the database away from the bot."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._connect, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def _connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers += [writer, up_writer]
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.transport.abort()


async def test_readyz_goes_unready_when_the_database_goes_away(database_url, clock, tmp_path):
    STATUS.set_role(Role.STANDBY)  # no scheduler to wait for: only the database counts
    url = make_url(database_url)
    proxy = None
    if url.get_backend_name() == "postgresql":
        proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
        url = url.set(host="127.0.0.1", port=await proxy.start())
    else:
        url = url.set(database=str(tmp_path / "away.sqlite3"))
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        await schema.upgrade(engine)
        check = HealthCheck(make_sessionmaker(engine), clock, max_tick_age=60)
        async with endpoints(check) as base:
            assert await is_ready(base, True)
            if proxy is not None:
                proxy.cut()
            else:
                await engine.dispose()
                Path(url.database).rename(tmp_path / "moved.sqlite3")  # noqa: ASYNC240
                (tmp_path / "away.sqlite3").mkdir()  # not even a new empty database
            status, body = await ready(base)
            assert status == 503, body
            assert body["problems"] == ["database unreachable"]
            assert body["database"].startswith("unreachable")
    finally:
        STATUS.set_role(Role.STARTING)
        await engine.dispose()


def samples(text: str) -> dict[str, float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            found[sample.name + (f"{{{labels}}}" if labels else "")] = sample.value
    return found


async def test_metrics_move_when_an_alert_is_raised_and_taken(
    bot_app, runtime, member, sessionmaker, clock, active
):
    team = await crisis_team(member, sessionmaker)
    check = HealthCheck(runtime.sessionmaker, runtime.clock, max_tick_age=60)
    async with endpoints(check) as base:
        status, page = await get(f"{base}/metrics")
        assert status == 200
        before = samples(page)
        assert before["achtervang_instance_role{role=active}"] == 1
        assert before["achtervang_instance_role{role=standby}"] == 0

        await team["Wijkteam"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
        alert = await team["Anna"].reply()
        raised = samples((await get(f"{base}/metrics"))[1])
        assert (
            raised["achtervang_alerts_raised_total"] == before["achtervang_alerts_raised_total"] + 1
        )
        assert raised["achtervang_alerts_taken_total"] == before["achtervang_alerts_taken_total"]

        clock.advance(timedelta(seconds=90))
        await team["Anna"].press(alert, buttons(alert)["Ik pak het op"])
        taken = samples((await get(f"{base}/metrics"))[1])
        assert taken["achtervang_alerts_taken_total"] == before["achtervang_alerts_taken_total"] + 1
        took = "achtervang_alert_time_to_take_seconds"
        assert taken[f"{took}_count"] == before[f"{took}_count"] + 1
        assert taken[f"{took}_sum"] == before[f"{took}_sum"] + 90
        assert taken[f"{took}_bucket{{le=60.0}}"] == before[f"{took}_bucket{{le=60.0}}"]
        assert taken[f"{took}_bucket{{le=120.0}}"] == before[f"{took}_bucket{{le=120.0}}"] + 1
        assert "achtervang_outbox_backlog" in taken


class Monitor:
    """A push monitor on loopback, counting the heartbeats it receives."""

    def __init__(self) -> None:
        self.beats = 0

    async def ping(self, request: web.Request) -> web.Response:
        self.beats += 1
        return web.Response(text="OK")


@pytest.fixture
async def monitor() -> AsyncIterator[tuple[Monitor, str]]:
    watcher = Monitor()
    app = web.Application()
    app.router.add_get("/ping/secret-uuid", watcher.ping)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield watcher, f"http://127.0.0.1:{runner.addresses[0][1]}/ping/secret-uuid"
    finally:
        await runner.cleanup()


async def test_heartbeats_arrive_while_healthy_and_stop_when_the_scheduler_stalls(
    bot_app, runtime, monitor, active
):
    watcher, url = monitor
    check = HealthCheck(runtime.sessionmaker, runtime.clock, max_tick_age=1.5)
    async with heartbeat.beating(check, url, interval=0.2):
        await poll(lambda: watcher.beats >= 3, "heartbeats", 10)
        async with stalled_scheduler(bot_app):
            await poll(lambda: _quiet(watcher), "heartbeats to stop", 10)
            stopped_at = watcher.beats
            await asyncio.sleep(1.0)
            assert watcher.beats == stopped_at
        await poll(lambda: watcher.beats >= stopped_at + 3, "heartbeats again", 10)
        # A standby does not ping: the monitor watches the active instance.
        STATUS.set_role(Role.STANDBY)
        await asyncio.sleep(0.4)
        standby_at = watcher.beats
        await asyncio.sleep(1.0)
        assert watcher.beats == standby_at


async def _quiet(watcher: Monitor) -> bool:
    before = watcher.beats
    await asyncio.sleep(0.6)
    return watcher.beats == before


async def test_bot_api_errors_are_counted_by_code(bot_app, runtime, standin, active):
    check = HealthCheck(runtime.sessionmaker, runtime.clock, max_tick_age=60)
    standin.add_user(4711, "Anna")
    async with endpoints(check) as base:
        before = samples((await get(f"{base}/metrics"))[1])
        standin.fail_next("sendMessage", error_code=403, description="Forbidden: bot was blocked")
        with pytest.raises(Forbidden):
            await bot_app.bot.send_message(4711, "hallo")
        standin.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
        with pytest.raises(BadRequest):
            await bot_app.bot.send_message(4711, "hallo")
        after = samples((await get(f"{base}/metrics"))[1])

    def count(sample: dict, code: str) -> float:
        return sample.get(f"achtervang_bot_api_errors_total{{code={code}}}", 0)

    assert count(after, "403") == count(before, "403") + 1
    assert count(after, "400") == count(before, "400") + 1
