"""What each kind of scheduled notice says, decided when it falls due: the roster may have
changed since it was planned, and then the notice is obsolete rather than wrong."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import Duty
from bot.config.team import TeamConfig
from bot.i18n import Translator
from bot.models import OutboxMessage
from bot.services.rosters.report import build_report
from bot.services.rosters.store import RosterState, load_roster
from bot.texts.roster import duty_name, span_text, when
from bot.texts.roster_report import report_text
from bot.texts.split import split_message


@dataclass(frozen=True)
class Text:
    """Send these messages (more than one when a report is longer than Telegram allows);
    buttons, as rows of (label, callback data), go under the last one."""

    parts: list[str]
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)


@dataclass(frozen=True)
class Edit:
    """Replace the text of a message the bot sent earlier (its buttons go)."""

    text: str
    message_id: int


@dataclass(frozen=True)
class Obsolete:
    reason: str


@dataclass(frozen=True)
class Probe:
    """Check the recipient can be reached without telling them anything."""


Outcome = Text | Edit | Obsolete | Probe
Render = Callable[
    [AsyncSession, TeamConfig, OutboxMessage, Translator, datetime], Awaitable[Outcome]
]


def _about(row: OutboxMessage) -> tuple[Duty, datetime, datetime]:
    payload: dict[str, Any] = row.payload
    return (
        payload["duty"],
        datetime.fromisoformat(payload["start"]),
        datetime.fromisoformat(payload["end"]),
    )


async def _state(session: AsyncSession, config: TeamConfig, start: datetime) -> RosterState:
    return await load_roster(session, config, start, start + timedelta(seconds=1))


async def shift_reminder(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    duty, start, end = _about(row)
    if now >= end:
        return Obsolete("the shift is over")
    state = await _state(session, config, start)
    shift = state.holder_at(duty, start)
    coach = state.coach(shift.holder if shift else None)
    if coach is None or coach.id != row.coach_id:
        return Obsolete("no longer theirs")
    return Text(
        [
            tr._(
                "Reminder: you hold %(duty)s from %(start)s until %(end)s.",
                duty=duty_name(tr, duty),
                start=when(tr, start),
                end=when(tr, end),
            )
        ]
    )


async def handover_group(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    duty, start, end = _about(row)
    if now >= end:
        return Obsolete("the shift is over")
    state = await _state(session, config, start)
    shift = state.holder_at(duty, start)
    holder = shift.holder if shift else None
    if shift is None or holder != row.payload.get("holder"):
        return Obsolete("the roster changed")
    if holder is None:
        text = tr._(
            "Nobody holds %(duty)s from %(start)s. The team lead has been told.",
            duty=duty_name(tr, duty),
            start=when(tr, start),
        )
    else:
        text = tr._(
            "Handover: %(holder)s holds %(duty)s from %(start)s until %(end)s.",
            holder=holder,
            duty=duty_name(tr, duty),
            start=when(tr, start),
            end=when(tr, end),
        )
    return Text([text])


async def _open_gap(
    session: AsyncSession, config: TeamConfig, about: dict[str, Any], now: datetime
) -> tuple[Duty, datetime, datetime] | None:
    """The gap `about` names, when it is still a gap and not over."""
    duty = about["duty"]
    start, end = datetime.fromisoformat(about["start"]), datetime.fromisoformat(about["end"])
    if now >= end:
        return None
    state = await _state(session, config, start)
    shift = state.holder_at(duty, start)
    if shift is None or shift.holder is not None:
        return None
    return duty, start, end


def _gap_why(tr: Translator, about: dict[str, Any]) -> str:
    absent = about.get("absent")
    if absent:
        return tr._("%(name)s is absent.", name=absent)
    return tr._("Nobody is rostered.")


def _one_gap(tr: Translator, gap: tuple[Duty, datetime, datetime], about: dict[str, Any]) -> str:
    duty, start, end = gap
    return tr._(
        "Gap in the roster: nobody holds %(duty)s %(span)s. %(why)s "
        "Use /override to assign someone.",
        duty=duty_name(tr, duty),
        span=span_text(tr, start, end),
        why=_gap_why(tr, about),
    )


async def gap_alert(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    if "batched" in row.payload:
        return Obsolete("told in " + row.payload["batched"])
    gap = await _open_gap(session, config, row.payload, now)
    if gap is None:
        return Obsolete("the gap was filled or is over")
    return Text([_one_gap(tr, gap, row.payload)])


async def gap_alerts(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    """Gaps found together, in one message in date order."""
    found = []
    for about in row.payload["gaps"]:
        gap = await _open_gap(session, config, about, now)
        if gap is not None:
            found.append((gap, about))
    if not found:
        return Obsolete("the gaps were filled or are over")
    if len(found) == 1:
        return Text([_one_gap(tr, *found[0])])
    found.sort(key=lambda item: (item[0][1], item[0][0]))
    lines = [tr._("Gaps in the roster (nobody on duty):")]
    lines += [
        f"• {duty_name(tr, duty)} {span_text(tr, start, end)}: {_gap_why(tr, about)}"
        for (duty, start, end), about in found
    ]
    lines.append(tr._("Use /override to assign someone."))
    return Text(split_message("\n".join(lines)))


async def unreachable(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    duty, start, end = _about(row)
    if now >= end:
        return Obsolete("the shift is over")
    reasons = {
        "not_in_bot": tr._("is on the roster but not known to the bot"),
        "not_enrolled": tr._("has not linked their Telegram account yet"),
        "blocked": tr._("has not opened a chat with the bot, or has blocked it"),
    }
    return Text(
        [
            tr._(
                "%(name)s cannot be reached: %(name)s %(reason)s. They hold %(duty)s from "
                "%(start)s, and crisis alerts would not reach them.",
                name=row.payload["name"],
                reason=reasons.get(row.payload.get("reason", ""), reasons["blocked"]),
                duty=duty_name(tr, duty),
                start=when(tr, start),
            )
        ]
    )


async def reach_check(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    _, _, end = _about(row)
    if now >= end:
        return Obsolete("the shift is over")
    return Probe()


async def roster_digest(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    report = await build_report(session, config, now)
    return Text(split_message(report_text(tr, report)))


RENDERERS: dict[str, Render] = {
    "shift_reminder": shift_reminder,
    "handover_group": handover_group,
    "gap_alert": gap_alert,
    "gap_alerts": gap_alerts,
    "unreachable": unreachable,
    "reach_check": reach_check,
    "roster_digest": roster_digest,
}
