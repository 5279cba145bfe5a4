"""The message to each coach with shifts in a roster plan a lead has just approved: which
shifts the plan gives them, worded when it is sent, so a coach never learns of a plan only by
finding their name in /roster."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.i18n import Translator
from bot.models import Coach, OutboxMessage, PlanStatus, RosterPlan
from bot.scheduling.notices import Obsolete, Outcome, Render, Text
from bot.services.rosters.plans import APPROVED_KIND, local_midnight
from bot.services.rosters.store import load_roster
from bot.texts.roster import DAY, duty_name, span_text
from bot.texts.split import split_message


async def plan_approved(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    plan = await session.get(RosterPlan, row.payload["plan_id"])
    if plan is None or plan.status != PlanStatus.APPROVED:
        return Obsolete("the plan is no longer approved")
    coach = await session.get(Coach, row.coach_id) if row.coach_id is not None else None
    if coach is None:
        return Obsolete("no coach")
    # The roster as it stands, not the plan's rows: a row is a whole assignment (a bureaudienst
    # day is only its office hours) and knows no swap or override. Only shifts that start in
    # the plan's weeks (the night before its first day is the rotation's) and are not over.
    start, end = local_midnight(plan.first_day, config), local_midnight(plan.until, config)
    coming = max(now, start)
    state = await load_roster(session, config, coming, end)
    mine = [
        s for s in state.overlapping(coming, end) if s.holder == coach.name and s.start >= start
    ]
    if not mine:
        return Obsolete("no coming shifts in the plan's weeks")
    lines = [
        tr._(
            "The team lead approved the roster %(first)s – %(last)s. Your shifts in it, as "
            "they stand now:",
            first=tr.date(plan.first_day, DAY + " yyyy"),
            last=tr.date(plan.until - timedelta(days=1), DAY + " yyyy"),
        )
    ]
    lines += [f"• {span_text(tr, s.start, s.end)}: {duty_name(tr, s.duty)}" for s in mine]
    lines += [
        "",
        tr._("Swaps, overrides and absences can still change them; /myshifts shows them."),
    ]
    return Text(split_message("\n".join(lines)))


RENDERERS: dict[str, Render] = {APPROVED_KIND: plan_approved}
