"""A team lead's change to one rotation (/rota): worked out, previewed for the coming two
weeks, and applied only when confirmed, and only if nobody changed that rotation meanwhile.
No Telegram here; bot/handlers/rota.py shows the preview and the buttons."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import Duty, RotationConfig
from bot.config.team import TeamConfig
from bot.models import Coach, RotaChange, RotaChangeStatus
from bot.services.rosters import core as roster
from bot.services.rosters import rotations
from bot.services.rosters.core import Shift
from bot.services.rosters.input import parse_day, parse_duty
from bot.services.rosters.overrides import Refusal as MatchRefusal
from bot.services.rosters.overrides import match_coach
from bot.services.rosters.store import load_roster, member_key

PREVIEW = timedelta(days=14)

ACTIONS = {
    "add": "add",
    "toevoegen": "add",
    "erbij": "add",
    "remove": "remove",
    "verwijder": "remove",
    "weg": "remove",
    "move": "move",
    "verplaats": "move",
    "shift": "shift",
    "dienst": "shift",
    "handover": "handover",
    "wissel": "handover",
    "overdracht": "handover",
    "start": "start",
}
_SHIFTS = {"day": "day", "dag": "day", "week": "week"}
_DEFAULT = {"default", "standaard", "-"}


class Problem(enum.StrEnum):
    USAGE = "usage"
    UNKNOWN_DUTY = "unknown_duty"
    UNKNOWN_COACH = "unknown_coach"
    AMBIGUOUS_COACH = "ambiguous_coach"
    ALREADY_MEMBER = "already_member"
    NOT_MEMBER = "not_member"
    BAD_POSITION = "bad_position"
    BAD_SHIFT = "bad_shift"
    BAD_TIME = "bad_time"
    BAD_DAY = "bad_day"
    NO_CHANGE = "no_change"


@dataclass(frozen=True)
class Refusal:
    problem: Problem
    detail: str = ""
    candidates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Edit:
    """What changes, in words the text module renders: action plus its arguments."""

    duty: Duty
    action: str
    name: str | None = None
    position: int | None = None  # 1-based
    value: str | None = None


@dataclass(frozen=True)
class PreviewLine:
    shift: Shift
    before: str | None  # the holder without the change, when it differs
    changed: bool


@dataclass(frozen=True)
class Preview:
    change_id: int
    edit: Edit
    after: RotationConfig
    lines: list[PreviewLine]


class Outcome(enum.StrEnum):
    APPLIED = "applied"
    CANCELLED = "cancelled"
    STALE = "stale"
    GONE = "gone"  # unknown, decided already, or another lead's


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    duty: Duty | None = None


def _position(text: str, size: int) -> int | None:
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 1 <= value <= size else None


def _member(rotation: RotationConfig, text: str) -> str | Refusal:
    wanted = member_key(text)
    exact = [m for m in rotation.members if member_key(m) == wanted]
    if exact:
        return exact[0]
    partial = [m for m in rotation.members if member_key(m).startswith(wanted)]
    if len(partial) == 1:
        return partial[0]
    if partial:
        return Refusal(Problem.AMBIGUOUS_COACH, text, sorted(partial))
    return Refusal(Problem.NOT_MEMBER, text)


async def work_out(
    session: AsyncSession, rotation: RotationConfig, args: list[str], today: date
) -> tuple[Edit, RotationConfig] | Refusal:
    """The edit `args` asks for (after the action word) and the rotation it gives."""
    action = ACTIONS.get(args[0].lower()) if args else None
    if action is None or len(args) < 3:
        return Refusal(Problem.USAGE)
    duty = parse_duty(args[1])
    if duty is None:
        return Refusal(Problem.UNKNOWN_DUTY, args[1])
    rest = args[2:]
    members = list(rotation.members)
    update: dict[str, object] = {}
    if action == "add":
        position = len(members) + 1
        if len(rest) > 1 and (found := _position(rest[-1], len(members) + 1)) is not None:
            position, rest = found, rest[:-1]
        coach = await match_coach(session, " ".join(rest))
        if isinstance(coach, MatchRefusal):
            problem = Problem.AMBIGUOUS_COACH if coach.candidates else Problem.UNKNOWN_COACH
            return Refusal(problem, coach.detail, list(coach.candidates))
        if any(member_key(m) == member_key(coach.name) for m in members):
            return Refusal(Problem.ALREADY_MEMBER, coach.name)
        members.insert(position - 1, coach.name)
        update["members"] = tuple(members)
        if rotation.start is None:
            update["start"] = today
        edit = Edit(duty, action, coach.name, position)
    elif action in ("remove", "move"):
        position = None
        if action == "move":
            position = _position(rest[-1], len(members)) if len(rest) > 1 else None
            if position is None:
                return Refusal(Problem.BAD_POSITION, rest[-1])
            rest = rest[:-1]
        name = _member(rotation, " ".join(rest))
        if isinstance(name, Refusal):
            return name
        members.remove(name)
        if position is not None:
            members.insert(position - 1, name)
        update["members"] = tuple(members)
        edit = Edit(duty, action, name, position)
    elif action == "shift":
        shift = _SHIFTS.get(rest[0].lower())
        if shift is None:
            return Refusal(Problem.BAD_SHIFT, rest[0])
        update["shift"] = shift
        edit = Edit(duty, action, value=shift)
    elif action == "handover":
        if rest[0].lower() in _DEFAULT:
            update["handover"], value = None, None
        else:
            try:
                handover = time.fromisoformat(rest[0])
            except ValueError:
                return Refusal(Problem.BAD_TIME, rest[0])
            if handover.second or len(rest[0]) != 5:
                return Refusal(Problem.BAD_TIME, rest[0])
            update["handover"], value = handover, rest[0]
        edit = Edit(duty, action, value=value)
    else:
        day = parse_day(rest[0], today)
        if day is None:
            return Refusal(Problem.BAD_DAY, rest[0])
        update["start"] = day
        edit = Edit(duty, action, value=day.isoformat())
    after = rotation.model_copy(update=update)
    if after == rotation:
        return Refusal(Problem.NO_CHANGE)
    return edit, after


def summary(edit: Edit) -> str:
    """For the audit trail (English, no translation: it is read by whoever audits)."""
    parts = [edit.action, edit.duty]
    parts += [p for p in (edit.name, edit.value) if p]
    if edit.position is not None:
        parts.append(f"at {edit.position}")
    return " ".join(parts)[:200]


async def propose(
    session: AsyncSession, config: TeamConfig, lead: Coach, args: list[str], now: datetime
) -> Preview | Refusal:
    """Works the change out and keeps it pending; the caller commits. Nothing is in force
    until `decide` applies it."""
    duty = parse_duty(args[1]) if len(args) > 1 else None
    if duty is None:
        return Refusal(Problem.USAGE if len(args) < 2 else Problem.UNKNOWN_DUTY, "".join(args[1:2]))
    current = await rotations.current_rotations(session, config)
    worked = await work_out(session, current[duty], args, now.astimezone(config.tz).date())
    if isinstance(worked, Refusal):
        return worked
    edit, after = worked
    change = RotaChange(
        lead_id=lead.id,
        duty=duty,
        before=rotations.to_json(current[duty]),
        after=rotations.to_json(after),
        summary=summary(edit),
        status=RotaChangeStatus.PENDING,
        created_at=now,
    )
    session.add(change)
    await session.flush()
    return Preview(change.id, edit, after, await preview_lines(session, config, duty, after, now))


async def preview_lines(
    session: AsyncSession, config: TeamConfig, duty: Duty, after: RotationConfig, now: datetime
) -> list[PreviewLine]:
    """The duty's shifts over the coming two weeks with the change (overrides, absences and
    plans still on top), each with who would hold it without the change."""
    state = await load_roster(session, config, now, now + PREVIEW)
    names = {member_key(c): c for c in state.coaches}
    canonical = after.model_copy(
        update={"members": tuple(names.get(member_key(m), m) for m in after.members)}
    )
    changed_config = state.config.model_copy(
        update={"duties": state.config.duties.model_copy(update={duty: canonical})}
    )
    changed = replace(state, config=changed_config)
    lines = []
    for shift in roster.shifts_overlapping(
        changed.config, duty, now, now + PREVIEW, changed.overrides, changed.absences
    ):
        old = state.holder_at(duty, shift.start)
        before = old.holder if old is not None else None
        differs = old is None or (old.holder, old.absent) != (shift.holder, shift.absent)
        lines.append(PreviewLine(shift, before if differs else None, differs))
    return lines


async def decide(
    session: AsyncSession,
    config: TeamConfig,
    lead: Coach,
    change_id: int,
    confirm: bool,
    now: datetime,
) -> Decision:
    """Applies (or drops) a pending change; the caller commits."""
    change = await session.get(RotaChange, change_id)
    if change is None or change.status != RotaChangeStatus.PENDING or change.lead_id != lead.id:
        return Decision(Outcome.GONE)
    duty = change.duty
    change.decided_at = now
    if not confirm:
        change.status = RotaChangeStatus.CANCELLED
        return Decision(Outcome.CANCELLED, duty)
    current = await rotations.current_rotations(session, config)
    if rotations.to_json(current[duty]) != change.before:
        change.status = RotaChangeStatus.STALE
        return Decision(Outcome.STALE, duty)
    await rotations.save_rotation(
        session,
        config,
        duty,
        rotations.from_json(change.after),
        by=lead,
        now=now,
        summary=change.summary,
    )
    change.status = RotaChangeStatus.APPLIED
    return Decision(Outcome.APPLIED, duty)
