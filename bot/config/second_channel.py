"""The `[second_channel]` section of the team config: where an urgent message also goes when
Telegram cannot deliver it, or nobody took it in time. Destinations are Apprise URLs
(https://github.com/caronc/apprise/wiki): e-mail, SMS gateways, ntfy, Signal, webhooks.

    [second_channel]
    after = "3m"                      # an alert message not taken this long after it was sent
    [second_channel.members]
    "Bram Jansen" = ["mailto://user:password@mail.example.nl?to=bram@example.nl"]
    [second_channel.duties]
    piket = ["json://sms-gateway.example.nl/piket"]   # whoever holds piket at that moment

The URLs hold credentials: they stay in the config file (readable by the operator only) and
never go into the database, the audit log or the logs; rows and records name a channel by a
short hash of its URL.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.config.alerts import parse_duration
from bot.config.duties import Duty
from bot.config.problem import ConfigProblem
from bot.i18n import N_


def channel_id(url: str) -> str:
    """A channel's name in rows and records: its URL's hash, never the URL itself."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def scheme(url: str) -> str:
    """ "mailto" for "mailto://…": what the audit log says a message went out by."""
    return url.split("://", 1)[0].lower() if "://" in url else "?"


def _check_urls(urls: tuple[str, ...]) -> tuple[str, ...]:
    if not urls:
        return urls
    import apprise  # only when the section is used: the import is not free

    for url in urls:
        if not apprise.Apprise().add(url):
            # The URL itself may hold a password: only its scheme is named.
            raise ConfigProblem(
                N_("%(scheme)s:// is not a URL Apprise can send to"), scheme=scheme(url)
            )
    return urls


class SecondChannelConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # An alert message not taken this long after it was sent also goes out on the second
    # channel; none: only when Telegram cannot deliver it.
    after: timedelta | None = timedelta(minutes=3)
    # Telegram failures in a row (network, server errors) after which the second channel is
    # used as well; a refusal (blocked bot) needs none.
    failures: int = Field(default=3, ge=1, le=100)
    members: dict[str, tuple[str, ...]] = {}
    duties: dict[Duty, tuple[str, ...]] = {}

    @field_validator("after", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return None if value in (None, "", "never") else parse_duration(value)

    @field_validator("after")
    @classmethod
    def _positive(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value <= timedelta(0):
            raise ConfigProblem(N_("must be more than zero"))
        return value

    @field_validator("members", "duties")
    @classmethod
    def _apprise_urls(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for urls in value.values():
            _check_urls(urls)
        return value

    @property
    def configured(self) -> bool:
        return bool(self.members or self.duties)
