"""Turns the coming roster into scheduled notices in the outbox.

Planning is idempotent (each notice has a key naming what it is about), so it runs on every
scheduler tick and at start-up: after a restart nothing is planned twice and nothing planned
before is lost, because the plan lives in the database and not in the scheduler's memory.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import WEEKDAYS, Duty
from bot.config.team import TeamConfig
from bot.models import Coach, OutboxMessage
from bot.scheduling.case_notices import plan_case_reminders
from bot.scheduling.outbox import enqueue
from bot.scheduling.waitlist_notices import plan_waitlist
from bot.services.quiet_hours import send_time
from bot.services.rosters.core import Shift, rotation_shift_end
from bot.services.rosters.store import RosterState, load_roster
from bot.services.team.coaches import team_leads

# Reminders and handover posts are planned this far ahead; gaps and reachability further.
PLAN_AHEAD = timedelta(days=2)
# Far enough back to know who held a duty before the first coming shift (week rotations).
LOOK_BACK = timedelta(days=8)


@dataclass(frozen=True)
class Run:
    """Consecutive pieces of one duty with the same holder: from one handover to the next."""

    duty: Duty
    holder: str | None
    start: datetime
    end: datetime


def runs(config: TeamConfig, shifts: list[Shift]) -> list[Run]:
    """Joins pieces into runs: one per handover. A run goes on over office hours in between
    (a week of piket nights is one run) but not into the next rotation shift or from rotation
    to override, so someone handed a second night still gets its reminder."""
    result: list[Run] = []
    previous: Shift | None = None
    for shift in shifts:
        same = (
            previous is not None
            and shift.holder is not None
            and previous.holder == shift.holder
            and previous.source == shift.source
            and (
                previous.end == shift.start
                or rotation_shift_end(config, shift.duty, previous.start) > shift.start
            )
        )
        if same:
            result[-1] = Run(shift.duty, shift.holder, result[-1].start, shift.end)
        else:
            result.append(Run(shift.duty, shift.holder, shift.start, shift.end))
        previous = shift
    return result


def iso(instant: datetime) -> str:
    return instant.isoformat()


def next_digest(config: TeamConfig, now: datetime) -> datetime:
    """The first weekly digest instant at or after `now`."""
    notify = config.duties.notify
    weekday = WEEKDAYS.index(notify.digest_weekday)
    today = now.astimezone(config.tz).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if day.weekday() == weekday:
            instant = _local(config, day, notify.digest_time)
            if instant >= now:
                return instant
    raise AssertionError("a weekday recurs within 8 days")


def _local(config: TeamConfig, day: date, wall: time) -> datetime:
    return datetime.combine(day, wall, tzinfo=config.tz)


class Planner:
    def __init__(self, session: AsyncSession, config: TeamConfig, now: datetime) -> None:
        self.session, self.config, self.now = session, config, now
        self.added = 0

    async def _add(self, **fields: Any) -> None:
        if await enqueue(self.session, now=self.now, **fields):
            self.added += 1

    async def plan(self) -> int:
        notify = self.config.duties.notify
        horizon = max(
            PLAN_AHEAD,
            timedelta(days=notify.gap_alert_days),
            timedelta(hours=notify.reachability_hours),
        )
        state = await load_roster(
            self.session, self.config, self.now - LOOK_BACK, self.now + horizon
        )
        leads = await team_leads(self.session)
        for duty in state.config.duties.rostered_duties():
            shifts = state.shifts(duty, self.now - LOOK_BACK, self.now + horizon)
            for run in runs(state.config, shifts):
                await self._plan_run(state, run, leads)
        # Whole gaps (not cut at the horizon), so each is told once with its true end.
        ahead = self.now + timedelta(days=notify.gap_alert_days)
        gaps = [s for s in state.overlapping(self.now, ahead) if s.holder is None]
        await self._plan_gaps(gaps, leads)
        await self._plan_digest(leads)
        await plan_case_reminders(self)
        await plan_waitlist(self)
        return self.added

    async def _plan_run(self, state: RosterState, run: Run, leads: list[Coach]) -> None:
        if run.start <= self.now:
            return
        notify = self.config.duties.notify
        about = {"duty": run.duty, "start": iso(run.start), "end": iso(run.end)}
        if run.start <= self.now + PLAN_AHEAD:
            chat = self.config.team_chat_id
            if chat is not None:
                await self._add(
                    key=f"handover:{run.duty}:{iso(run.start)}:{run.holder or '-'}",
                    kind="handover_group",
                    chat_id=chat,
                    due_at=run.start,
                    payload={**about, "holder": run.holder},
                )
        if run.holder is None:
            return
        coach = state.coach(run.holder)
        if run.start <= self.now + PLAN_AHEAD and coach is not None and coach.active:
            await self._add(
                key=f"remind:{run.duty}:{iso(run.start)}:{coach.id}",
                kind="shift_reminder",
                coach_id=coach.id,
                due_at=run.start - timedelta(minutes=notify.reminder_minutes),
                payload=about,
            )
        if run.start > self.now + timedelta(hours=notify.reachability_hours):
            return
        if coach is not None and coach.active and coach.telegram_user_id is not None:
            await self._add(
                key=f"reach:{run.duty}:{iso(run.start)}:{coach.id}",
                kind="reach_check",
                coach_id=coach.id,
                due_at=run.start - timedelta(hours=notify.reachability_hours),
                payload=about,
            )
            return
        reason = "not_in_bot" if coach is None else "not_enrolled"
        await self.unreachable(leads, run.holder, about, reason)

    async def unreachable(
        self, leads: list[Coach], name: str, about: dict[str, str], reason: str
    ) -> None:
        """Tells the team leads that `name` cannot be reached before their shift: in
        working hours, unless that would be after the shift has started."""
        due = send_time(self.config, self.now, useful_until=datetime.fromisoformat(about["start"]))
        for lead in leads:
            await self._add(
                key=f"unreachable:{about['duty']}:{about['start']}:{name}:{lead.id}",
                kind="unreachable",
                coach_id=lead.id,
                due_at=due,
                payload={**about, "name": name, "reason": reason},
            )

    async def _plan_gaps(self, gaps: list[Shift], leads: list[Coach]) -> None:
        """New gaps reach each lead in one message, in date order; each gap's own key is
        stored as a marker (never sent itself) so the next tick does not tell it again.
        Held in quiet hours, except the gaps that start before the morning."""
        gaps = sorted(gaps, key=lambda g: (g.start, g.duty))
        for lead in leads:
            keyed = {f"gap:{g.duty}:{iso(g.start)}:{iso(g.end)}:{lead.id}": g for g in gaps}
            told = set(
                await self.session.scalars(
                    select(OutboxMessage.key).where(OutboxMessage.key.in_(list(keyed)))
                )
            )
            new = {key: gap for key, gap in keyed.items() if key not in told}
            morning = send_time(self.config, self.now)
            # A gap starting before the morning cannot wait for it; the others can.
            urgent = {k: g for k, g in new.items() if g.start < morning}
            later = {k: g for k, g in new.items() if k not in urgent}
            for due, group in ((self.now, urgent), (morning, later)):
                if group:
                    await self._add_gaps(lead, group, due)

    async def _add_gaps(self, lead: Coach, gaps: dict[str, Shift], due: datetime) -> None:
        abouts = [
            {"duty": g.duty, "start": iso(g.start), "end": iso(g.end), "absent": g.absent}
            for g in gaps.values()
        ]
        digest_of = hashlib.sha256("|".join(gaps).encode()).hexdigest()[:16]
        batch = f"gaps:{lead.id}:{iso(self.now)}:{digest_of}"
        await self._add(
            key=batch,
            kind="gap_alerts",
            coach_id=lead.id,
            due_at=due,
            payload={"gaps": abouts},
        )
        for key, about in zip(gaps, abouts, strict=True):
            await self._add(
                key=key,
                kind="gap_alert",
                coach_id=lead.id,
                due_at=due,
                payload={**about, "batched": batch},
            )

    async def _plan_digest(self, leads: list[Coach]) -> None:
        due = next_digest(self.config, self.now)
        local_day = due.astimezone(self.config.tz).date().isoformat()
        for lead in leads:
            await self._add(
                key=f"digest:{local_day}:{lead.id}",
                kind="roster_digest",
                coach_id=lead.id,
                due_at=due,
                payload={},
            )


async def plan(session: AsyncSession, config: TeamConfig, now: datetime) -> int:
    """Adds every notice the coming roster calls for; returns how many were new."""
    return await Planner(session, config, now).plan()
