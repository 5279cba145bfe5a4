"""The bot's HTTP client for the Bot API: aiohttp in place of PTB's httpx.

Every Telegram call of the bot passes through here: the getUpdates that brings a /crisis and
the sendMessage of its alert among them. httpx parses HTTP in Python (h11); aiohttp in C. One
sendMessage through PTB against the stand-in on loopback, 400 in a row on this VM: 0.78-0.87 ms
of event-loop CPU with httpx, 0.38-0.46 ms with this (wall p99 1.8-2.4 ms against 0.9 ms;
docs/benchmarks.md). aiohttp is a dependency already (the stand-in and the sandbox serve with
it); PTB's own aiohttp request lives in ptbcontrib, which is not published on PyPI.

The contract is PTB's `BaseRequest`, and what the rest of the bot relies on keeps httpx's
meaning: a timeout (connecting, waiting for a free connection, reading) is `TimedOut`, any
other failure to get an answer is `NetworkError`, and an answer with an error status comes back
as status and body for PTB to turn into its exceptions; a proxy set in the environment
(HTTPS_PROXY) is used, and the same certificates are trusted. PTB's defaults are kept: 5 s to
connect, to read and to write, 1 s to wait for a connection from the pool.

The proxy is looked up once per host, not by aiohttp's `trust_env` on every request: that
hands two look-ups (the proxy variables, ~/.netrc) to a thread on every call, two trips to
another thread and back on the way to each alert. A changed proxy setting takes a restart, as
any other setting does. ~/.netrc is read only for the proxy's password: the Bot API's own
credential is the token in the URL."""

from __future__ import annotations

import logging
import os
import ssl
from typing import Any

import aiohttp
import certifi
from aiohttp.helpers import get_env_proxy_for_url
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

log = logging.getLogger(__name__)

_CONNECT = _READ = _WRITE = 5.0
_POOL = 1.0

_Proxy = tuple[URL | None, aiohttp.BasicAuth | None]


class AiohttpRequest(BaseRequest):
    __slots__ = ("_pool_size", "_proxies", "_session")

    def __init__(self, connection_pool_size: int = 1) -> None:
        self._pool_size = connection_pool_size
        # Made in initialize(): an aiohttp session belongs to the event loop it was made on.
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str | None, int | None], _Proxy] = {}

    @property
    def read_timeout(self) -> float:
        # getUpdates reads for this long plus its long-poll timeout.
        return _READ

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, ssl=trust_store()),
                timeout=aiohttp.ClientTimeout(total=None),
            )
            self._proxies.clear()

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        read = _given(read_timeout, _READ)
        write = _given(write_timeout, _WRITE)
        connect = _given(connect_timeout, _CONNECT)
        pool = _given(pool_timeout, _POOL)
        timeout = aiohttp.ClientTimeout(
            # aiohttp has no timeout for sending the request alone; the whole exchange gets
            # the sum of the phases' limits so that a stalled upload cannot hang for ever.
            total=_sum(read, write, connect, pool),
            connect=_sum(pool, connect),
            sock_connect=connect,
            sock_read=read,
        )
        target = URL(url)
        proxy, proxy_auth = self._proxy_for(target)
        try:
            async with self._session.request(
                method,
                target,
                data=_body(request_data),
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
                proxy=proxy,
                proxy_auth=proxy_auth,
            ) as response:
                answer = response.status, await response.read()
        except TimeoutError as err:  # aiohttp's timeouts are TimeoutError (and ClientError)
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err
        # As httpx logs it, at DEBUG only; the log's formatter blanks the token in the URL.
        log.debug('HTTP Request: %s %s "%s"', method, url, answer[0])
        return answer

    def _proxy_for(self, url: URL) -> _Proxy:
        """As httpx did: the proxy named in HTTPS_PROXY / HTTP_PROXY unless NO_PROXY names the
        host, for a municipal network that reaches Telegram only through one."""
        origin = (url.scheme, url.host, url.port)
        found = self._proxies.get(origin)
        if found is None:
            try:
                found = get_env_proxy_for_url(url)
            except LookupError:
                found = (None, None)
            self._proxies[origin] = found
        return found


def trust_store() -> ssl.SSLContext:
    """The certificates httpx trusted: SSL_CERT_FILE or SSL_CERT_DIR where set, else certifi's
    bundle rather than the system's (a slim container image may have no CA store at all)."""
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    return ssl.create_default_context(cafile=certifi.where())


def _given(value: ODVInput[float], default: float) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _sum(*limits: float | None) -> float | None:
    """None (no limit) if any phase has none."""
    return None if any(limit is None for limit in limits) else sum(limits)  # type: ignore[arg-type]


def _body(request_data: RequestData | None) -> Any:
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields  # form-encoded, as PTB sends it with httpx
    form = aiohttp.FormData(fields)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
