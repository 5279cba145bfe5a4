"""The `[feeds]` section of the team config: live roster links served on the HTTP side of
`achtervang run` (HTTP_LISTEN). `base_url` is how the outside reaches that side (through the
municipality's reverse proxy, with TLS); links are only handed out when it is set.

    [feeds]
    base_url = "https://achtervang.gemeente.nl"
    weeks = 8
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.config.problem import ConfigProblem
from bot.i18n import N_


class FeedsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str | None = None
    # How far ahead a feed reaches, from now.
    weeks: int = Field(default=8, ge=1, le=52)

    @field_validator("base_url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("https://", "http://")):
            raise ConfigProblem(N_("must start with https:// (or http:// on a test machine)"))
        return value.rstrip("/")

    def link(self, path: str) -> str | None:
        return f"{self.base_url}{path}" if self.base_url else None
