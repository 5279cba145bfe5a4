"""What the team lead hears about the waitlist: an entry passing 7 and 9 weeks, a referral
without an acceptance decision after 24 hours (each once, when it happens), and every office
morning a digest listing those plus an intake proposal when a coach has room."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.message_split import split_message
from bot.models import OutboxMessage
from bot.models.waitlist import WaitlistEntry
from bot.scheduling.case_notices import next_reminder
from bot.scheduling.notices import Obsolete, Outcome, Render, Text
from bot.services import waitlist
from bot.team_config import TeamConfig
from bot.waitlist_terms import EntryStatus
from bot.waitlist_text import decision_buttons

if TYPE_CHECKING:
    from bot.scheduling.planner import Planner

WEEKS_KIND = "waitlist_weeks"
UNDECIDED_KIND = "waitlist_undecided"
DIGEST_KIND = "waitlist_digest"


def _passes(config: TeamConfig, entry: WaitlistEntry, weeks: int) -> datetime:
    """The office-morning instant of the day the entry has waited `weeks` weeks."""
    day = entry.referral_date + timedelta(weeks=weeks)
    return datetime.combine(day, config.cases.digest_time, tzinfo=config.tz)


async def plan_waitlist(planner: Planner) -> None:
    config, now, session = planner.config, planner.now, planner.session
    from bot.scheduling.planner import team_leads  # the planner imports this module

    leads = [lead.id for lead in await team_leads(session)]
    if not leads:
        return
    for entry in await waitlist.live_entries(session):
        if entry.status == EntryStatus.WAITING:
            norm = _passes(config, entry, config.waitlist.norm_weeks)
            for weeks in (config.waitlist.warn_after_weeks, config.waitlist.norm_weeks):
                due = _passes(config, entry, weeks)
                # An entry found past both (imported late) gets the norm notice only.
                stale = weeks < config.waitlist.norm_weeks and norm <= now
                if due <= now + timedelta(days=1) and not stale:
                    for lead in leads:
                        await planner._add(
                            key=f"waitlist-weeks:{entry.id}:{weeks}:{lead}",
                            kind=WEEKS_KIND,
                            coach_id=lead,
                            due_at=max(due, now),
                            payload={"entry_id": entry.id, "weeks": weeks},
                        )
        else:
            due = entry.created_at + config.waitlist.decision_within
            if due <= now + timedelta(days=1):
                for lead in leads:
                    await planner._add(
                        key=f"waitlist-undecided:{entry.id}:{lead}",
                        kind=UNDECIDED_KIND,
                        coach_id=lead,
                        due_at=max(due, now),
                        payload={"entry_id": entry.id},
                    )
    morning = next_reminder(config, now)
    day = morning.astimezone(config.tz).date().isoformat()
    for lead in leads:
        await planner._add(
            key=f"waitlist-digest:{day}:{lead}",
            kind=DIGEST_KIND,
            coach_id=lead,
            due_at=morning,
            payload={"day": day},
        )


async def weeks_notice(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    entry = await session.get(WaitlistEntry, row.payload["entry_id"])
    if entry is None or entry.status != EntryStatus.WAITING:
        return Obsolete("no longer waiting")
    weeks = row.payload["weeks"]
    if weeks >= config.waitlist.norm_weeks:
        text = tr._(
            "%(code)s has now waited %(weeks)s weeks: the waitlist norm is passed. Plan the "
            "intake or tell the family and referrer what happens next.",
            code=entry.code,
            weeks=weeks,
        )
    else:
        text = tr._(
            "%(code)s has now waited %(weeks)s weeks; the norm is %(norm)s weeks.",
            code=entry.code,
            weeks=weeks,
            norm=config.waitlist.norm_weeks,
        )
    return Text([text])


async def undecided_notice(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    entry = await session.get(WaitlistEntry, row.payload["entry_id"])
    if entry is None or entry.status != EntryStatus.REFERRED:
        return Obsolete("decided")
    hours = round(config.waitlist.decision_within.total_seconds() / 3600)
    return Text(
        [
            tr._(
                "Referral %(code)s has waited more than %(hours)s hours for an acceptance "
                "decision.",
                code=entry.code,
                hours=hours,
            )
        ],
        buttons=decision_buttons(tr, entry),
    )


async def digest(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    day = date.fromisoformat(row.payload["day"])
    if now.astimezone(config.tz).date() != day:
        return Obsolete("a morning digest is only useful that day")
    placed = await waitlist.ranked_list(session, config, now)
    undecided = await waitlist.undecided(session)
    warn = config.waitlist.warn_after_weeks
    late = [p for p in placed if p.scored.weeks_waiting >= warn]
    room = await waitlist.with_room(session, config, now) if placed else []
    if not (late or undecided or room):
        return Obsolete("nothing to report")
    lines = [tr._("Waitlist this morning: %(n)s families waiting.", n=len(placed))]
    if late:
        lines.append(
            tr._("Waiting %(weeks)s weeks or more:", weeks=warn)
            + " "
            + ", ".join(
                tr._("%(code)s (%(weeks)s wk)", code=p.entry.code, weeks=p.scored.weeks_waiting)
                for p in late
            )
        )
    if undecided:
        lines.append(
            tr._("Awaiting your decision: %(codes)s", codes=", ".join(e.code for e in undecided))
        )
    if room:
        best = room[0]
        lines.append(
            tr._(
                "Proposal: %(coach)s has room for %(n)s more; first in line is %(code)s. "
                "/intake %(code)s %(coach)s",
                coach=best.coach.name,
                n=best.room,
                code=placed[0].entry.code,
            )
        )
    return Text(split_message("\n".join(lines)))


RENDERERS: dict[str, Render] = {
    WEEKS_KIND: weeks_notice,
    UNDECIDED_KIND: undecided_notice,
    DIGEST_KIND: digest,
}
