"""Every kind of outbox message and the function that words it."""

from __future__ import annotations

from bot.scheduling.alert_edits import RENDERERS as EDIT_RENDERERS
from bot.scheduling.alert_notices import ALERT_RENDERERS
from bot.scheduling.backup_notices import RENDERERS as BACKUP_RENDERERS
from bot.scheduling.case_notices import RENDERERS as CASE_RENDERERS
from bot.scheduling.notices import RENDERERS as ROSTER_RENDERERS
from bot.scheduling.notices import Render
from bot.scheduling.plan_notices import RENDERERS as PLAN_RENDERERS
from bot.scheduling.visit_notices import RENDERERS as VISIT_RENDERERS
from bot.scheduling.waitlist_notices import RENDERERS as WAITLIST_RENDERERS

RENDERERS: dict[str, Render] = {
    **ROSTER_RENDERERS,
    **ALERT_RENDERERS,
    **EDIT_RENDERERS,
    **CASE_RENDERERS,
    **BACKUP_RENDERERS,
    **WAITLIST_RENDERERS,
    **VISIT_RENDERERS,
    **PLAN_RENDERERS,
}
