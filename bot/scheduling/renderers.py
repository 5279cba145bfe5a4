"""Every kind of outbox message and the function that words it."""

from __future__ import annotations

from bot.scheduling.alert_notices import ALERT_RENDERERS
from bot.scheduling.notices import RENDERERS as ROSTER_RENDERERS
from bot.scheduling.notices import Render

RENDERERS: dict[str, Render] = {**ROSTER_RENDERERS, **ALERT_RENDERERS}
