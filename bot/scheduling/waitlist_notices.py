"""What the team lead hears about the waitlist: an entry passing 7 and 9 weeks, a referral
without an acceptance decision after 24 hours (each once, when it happens), and every office
morning a digest listing those plus an intake proposal when a coach has room."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.i18n import Translator
from bot.models import OutboxMessage
from bot.models.waitlist import WaitlistEntry
from bot.models.waitlist_terms import EntryStatus
from bot.scheduling.case_notices import next_reminder
from bot.scheduling.notices import Obsolete, Outcome, Render, Text
from bot.services.quiet_hours import send_time
from bot.services.team.coaches import team_leads
from bot.services.waitlist import store as waitlist
from bot.texts.split import split_message
from bot.texts.waitlist import decision_buttons

if TYPE_CHECKING:
    from bot.scheduling.planner import Planner

WEEKS_KIND = "waitlist_weeks"
WEEKS_BATCH_KIND = "waitlist_weeks_batch"
UNDECIDED_KIND = "waitlist_undecided"
DIGEST_KIND = "waitlist_digest"


def _passes(config: TeamConfig, entry: WaitlistEntry, weeks: int) -> datetime:
    """The office-morning instant of the day the entry has waited `weeks` weeks."""
    day = entry.referral_date + timedelta(weeks=weeks)
    return datetime.combine(day, config.cases.digest_time, tzinfo=config.tz)


@dataclass(frozen=True)
class _Passing:
    entry_id: int
    weeks: int
    key: str


async def plan_waitlist(planner: Planner) -> None:
    config, now, session = planner.config, planner.now, planner.session

    leads = [lead.id for lead in await team_leads(session)]
    if not leads:
        return
    passing: dict[tuple[int, datetime], list[_Passing]] = {}
    for entry in await waitlist.live_entries(session):
        if entry.status == EntryStatus.WAITING:
            norm = _passes(config, entry, config.waitlist.norm_weeks)
            for weeks in (config.waitlist.warn_after_weeks, config.waitlist.norm_weeks):
                due = _passes(config, entry, weeks)
                # An entry found past both (imported late) gets the norm notice only.
                stale = weeks < config.waitlist.norm_weeks and norm <= now
                if due <= now + timedelta(days=1) and not stale:
                    for lead in leads:
                        key = f"waitlist-weeks:{entry.id}:{weeks}:{lead}"
                        held = send_time(config, max(due, now))
                        group = passing.setdefault((lead, held), [])
                        group.append(_Passing(entry.id, weeks, key))
        else:
            due = entry.created_at + config.waitlist.decision_within
            if due <= now + timedelta(days=1):
                for lead in leads:
                    await planner._add(
                        key=f"waitlist-undecided:{entry.id}:{lead}",
                        kind=UNDECIDED_KIND,
                        coach_id=lead,
                        due_at=send_time(config, max(due, now)),
                        payload={"entry_id": entry.id},
                    )
    await _plan_passing(planner, passing)
    morning = next_reminder(config, now)
    if morning is None:
        return
    day = morning.astimezone(config.tz).date().isoformat()
    for lead in leads:
        await planner._add(
            key=f"waitlist-digest:{day}:{lead}",
            kind=DIGEST_KIND,
            coach_id=lead,
            due_at=morning,
            payload={"day": day},
        )


async def _plan_passing(
    planner: Planner, passing: dict[tuple[int, datetime], list[_Passing]]
) -> None:
    """Entries passing a threshold at the same moment reach a lead as one message (a first
    start or an import finds many at once). Each entry's own key is stored too, as a marker
    that is never sent itself, so the next tick does not tell it again."""
    keys = [p.key for group in passing.values() for p in group]
    if not keys:
        return
    told = set(
        await planner.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys)))
    )
    for (lead, due), group in sorted(passing.items()):
        new = [p for p in group if p.key not in told]
        if not new:
            continue
        digest_of = hashlib.sha256("|".join(p.key for p in new).encode()).hexdigest()[:16]
        batch = f"waitlist-weeks-batch:{lead}:{due.isoformat()}:{digest_of}"
        await planner._add(
            key=batch,
            kind=WEEKS_BATCH_KIND,
            coach_id=lead,
            due_at=due,
            payload={"items": [[p.entry_id, p.weeks] for p in new]},
        )
        for p in new:
            await planner._add(
                key=p.key,
                kind=WEEKS_KIND,
                coach_id=lead,
                due_at=due,
                payload={"entry_id": p.entry_id, "weeks": p.weeks, "batched": batch},
            )


def _wait_line(tr: Translator, config: TeamConfig, entry: WaitlistEntry, today: date) -> str:
    """How long the family has really waited, against the norm."""
    days = max(0, (today - entry.referral_date).days)
    weeks, norm = days // 7, config.waitlist.norm_weeks
    if weeks >= norm:
        return tr.n_(
            "%(code)s has waited %(n)s week (%(days)s days): past the %(norm)s-week norm.",
            "%(code)s has waited %(n)s weeks (%(days)s days): past the %(norm)s-week norm.",
            weeks,
            code=entry.code,
            days=days,
            norm=norm,
        )
    return tr.n_(
        "%(code)s has waited %(n)s week (%(days)s days); the norm is %(norm)s weeks.",
        "%(code)s has waited %(n)s weeks (%(days)s days); the norm is %(norm)s weeks.",
        weeks,
        code=entry.code,
        days=days,
        norm=norm,
    )


async def _weeks_text(
    session: AsyncSession,
    config: TeamConfig,
    tr: Translator,
    now: datetime,
    entry_ids: list[int],
) -> Outcome:
    today = config.local_date(now)
    entries = [await session.get(WaitlistEntry, entry_id) for entry_id in entry_ids]
    waiting = [e for e in entries if e is not None and e.status == EntryStatus.WAITING]
    if not waiting:
        return Obsolete("no longer waiting")
    waiting.sort(key=lambda e: (e.referral_date, e.code))
    lines = [_wait_line(tr, config, e, today) for e in waiting]
    if len(lines) > 1:
        lines = [
            tr.n_(
                "%(n)s family on the waitlist passed a waiting threshold:",
                "%(n)s families on the waitlist passed a waiting threshold:",
                len(lines),
            ),
            *(f"• {line}" for line in lines),
        ]
    late = any((today - e.referral_date).days // 7 >= config.waitlist.norm_weeks for e in waiting)
    if late:
        lines.append(tr._("Plan the intake or tell the family and referrer what happens next."))
    return Text(split_message("\n".join(lines)))


async def weeks_notice(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    if "batched" in row.payload:
        return Obsolete("told in " + row.payload["batched"])
    return await _weeks_text(session, config, tr, now, [row.payload["entry_id"]])


async def weeks_batch(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    return await _weeks_text(session, config, tr, now, [i[0] for i in row.payload["items"]])


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
    lines = [
        tr.n_(
            "Waitlist this morning: %(n)s family waiting.",
            "Waitlist this morning: %(n)s families waiting.",
            len(placed),
        )
    ]
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
    WEEKS_BATCH_KIND: weeks_batch,
    UNDECIDED_KIND: undecided_notice,
    DIGEST_KIND: digest,
}
