"""The coaches' morning reminder about their families: planned into the outbox once per
office day per coach, worded at send time from what is due then (nothing due: not sent)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.i18n import Translator
from bot.models import OutboxMessage
from bot.scheduling.notices import Obsolete, Outcome, Render, Text
from bot.services.cases.reminders import Due, coaches_with_families, due_for
from bot.services.rosters.core import is_office_day
from bot.texts.split import split_message

if TYPE_CHECKING:
    from bot.scheduling.planner import Planner

KIND = "case_reminder"
DAY = "EEE d MMM"


def next_reminder(config: TeamConfig, now: datetime) -> datetime | None:
    """The first reminder instant at or after `now`: digest time on an office day (weekdays
    that are not Dutch public holidays, with the team's agreed exceptions). None for a team
    without office days within 30 days (piket around the clock): no morning to remind on."""
    today = now.astimezone(config.tz).date()
    for offset in range(30):
        day = today + timedelta(days=offset)
        if is_office_day(config.duties, day):
            instant = datetime.combine(day, config.cases.digest_time, tzinfo=config.tz)
            if instant >= now:
                return instant
    return None


async def plan_case_reminders(planner: Planner) -> None:
    """One reminder per coach with families for the coming office morning. Planned ahead,
    so a bot that is down at that hour still sends it when it is back the same day."""
    config, now = planner.config, planner.now
    due = next_reminder(config, now)
    if due is None:
        return
    day = due.astimezone(config.tz).date()
    for coach_id in await coaches_with_families(planner.session, day):
        await planner._add(
            key=f"cases:{day.isoformat()}:{coach_id}",
            kind=KIND,
            coach_id=coach_id,
            due_at=due,
            payload={"day": day.isoformat()},
        )


async def case_reminder(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    day = date.fromisoformat(row.payload["day"])
    today = now.astimezone(config.tz).date()
    if today != day:
        return Obsolete("a morning reminder is only useful that day")
    if row.coach_id is None:  # planned per coach, so never
        return Obsolete("no coach")
    due = await due_for(session, config.cases, row.coach_id, today)
    if not due:
        return Obsolete("nothing due")
    return Text(split_message(reminder_text(tr, due, today)))


def reminder_text(tr: Translator, due: Due, today: date) -> str:
    lines = [tr._("Good morning. For your families:")]
    if due.evaluations:
        lines += ["", tr._("Evaluations:")]
        for case in due.evaluations:
            evaluation = case.next_evaluation
            if evaluation is None:  # due_for lists only cases with a date
                continue
            when = tr.date(evaluation, DAY)
            if evaluation < today:
                lines.append(tr._("%(code)s: overdue since %(day)s", code=case.code, day=when))
            elif evaluation == today:
                lines.append(tr._("%(code)s: today", code=case.code))
            else:
                lines.append(tr._("%(code)s: on %(day)s", code=case.code, day=when))
    if due.stale:
        lines += ["", tr._("No contact for a while:")]
        for case in due.stale:
            if case.last_contact is None:
                lines.append(tr._("%(code)s: no contact recorded yet", code=case.code))
            else:
                lines.append(
                    tr.n_(
                        "%(code)s: last contact %(day)s, %(n)d day ago",
                        "%(code)s: last contact %(day)s, %(n)d days ago",
                        (today - case.last_contact).days,
                        code=case.code,
                        day=tr.date(case.last_contact, DAY),
                    )
                )
    return "\n".join(lines)


RENDERERS: dict[str, Render] = {KIND: case_reminder}
