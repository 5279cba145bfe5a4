"""A coach's workdays: parsed from what a lead, a CSV cell or the coach types ("ma-do",
"mon/tue/thu/fri", "ma,di,wo,do") and stored as "mon,tue,wed,thu" on the coach (None: every
day). Office-hours duties never fall on a day a coach does not work."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.duties import WEEKDAYS
from bot.models import Coach
from bot.services.audit import trail as audit

# Dutch and English names and abbreviations, each to its ISO weekday (Monday = 1).
_NAMES: dict[str, int] = {}
for _number, _words in enumerate(
    (
        ("mon", "monday", "ma", "maandag"),
        ("tue", "tuesday", "di", "dinsdag"),
        ("wed", "wednesday", "wo", "woensdag"),
        ("thu", "thursday", "do", "donderdag"),
        ("fri", "friday", "vr", "vrijdag"),
        ("sat", "saturday", "za", "zaterdag"),
        ("sun", "sunday", "zo", "zondag"),
    ),
    start=1,
):
    for _word in _words:
        _NAMES[_word] = _number

_ALL = frozenset(range(1, 8))
_SEPARATORS = re.compile(r"[,/;\s]+")


def parse(text: str) -> frozenset[int] | None:
    """The ISO weekdays named in `text`, or None when it cannot be read. Ranges wrap no
    further than Sunday ("ma-do" is Monday to Thursday); "alle"/"all" is every day."""
    cleaned = text.strip().lower()
    if cleaned in ("alle", "all", "*"):
        return _ALL
    days: set[int] = set()
    for part in _SEPARATORS.split(cleaned):
        if not part:
            continue
        first, dash, last = part.partition("-")
        if dash:
            lo, hi = _NAMES.get(first.strip()), _NAMES.get(last.strip())
            if lo is None or hi is None or hi < lo:
                return None
            days.update(range(lo, hi + 1))
        elif part in _NAMES:
            days.add(_NAMES[part])
        else:
            return None
    return frozenset(days) or None


def stored(days: frozenset[int] | None) -> str | None:
    """How the coach row keeps them: None for every day."""
    if days is None or days == _ALL:
        return None
    return ",".join(WEEKDAYS[day - 1] for day in sorted(days))


def from_stored(value: str | None) -> frozenset[int] | None:
    if not value:
        return None
    return frozenset(WEEKDAYS.index(day) + 1 for day in value.split(",") if day in WEEKDAYS)


def set_workdays(
    session: AsyncSession,
    coach: Coach,
    days: frozenset[int] | None,
    *,
    by: Coach,
    now: datetime,
) -> bool:
    """Stores the coach's workdays (audited); False when nothing changed."""
    value = stored(days)
    if coach.workdays == value:
        return False
    before = coach.workdays or "all"
    coach.workdays = value
    audit.record(
        session,
        at=now,
        action="coach.workdays",
        outcome="ok",
        actor=by,
        subject=coach.name,
        detail=f"{before} -> {value or 'all'}",
    )
    return True
