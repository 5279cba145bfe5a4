"""The week roster as a message: one block per day, each shift with its local times."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from bot.i18n import Translator
from bot.services.rosters.core import Shift
from bot.texts.roster import DAY, TIME, duty_name, holder_text


def week_bounds(monday: date, tz: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(monday, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=tz)
    return start, end


def _times(tr: Translator, shift: Shift, day: date) -> str:
    """'08:30–17:00', a night '17:00–08:30', or with the days when that is not obvious: a
    shift that began before the week starts shows when it began."""
    start_local, end_local = shift.start.astimezone(tr.tz), shift.end.astimezone(tr.tz)
    if start_local.date() < day:
        start = tr.datetime(shift.start, DAY + " " + TIME)
        if end_local.date() == day:
            return f"{start} – {tr.datetime(shift.end, TIME)}"
        return f"{start} – {tr.datetime(shift.end, DAY + ' ' + TIME)}"
    start, end = tr.datetime(shift.start, TIME), tr.datetime(shift.end, TIME)
    next_day = end_local.date() == start_local.date() + timedelta(days=1)
    if next_day and end == "00:00":
        return f"{start}–24:00"
    if end_local.date() == start_local.date() or (
        next_day and end_local.time() < start_local.time()
    ):
        return f"{start}–{end}"
    return f"{start} – {tr.datetime(shift.end, DAY + ' ' + TIME)}"


def week_text(tr: Translator, monday: date, shifts: list[Shift]) -> str:
    """`shifts` overlap the week with their true times; one that began before Monday is
    listed under Monday."""
    sunday = monday + timedelta(days=6)
    lines = [
        tr._(
            "Roster week %(week)d (%(first)s – %(last)s)",
            week=monday.isocalendar().week,
            first=tr.date(monday, "EEE d MMM"),
            last=tr.date(sunday, "EEE d MMM y"),
        )
    ]
    for offset in range(7):
        day = monday + timedelta(days=offset)
        todays = [s for s in shifts if max(s.start.astimezone(tr.tz).date(), monday) == day]
        lines.append("")
        lines.append(tr.date(day, "EEEE d MMMM"))
        if not todays:
            lines.append("  " + tr._("no shifts"))
        for shift in todays:
            lines.append(
                f"  {duty_name(tr, shift.duty)} {_times(tr, shift, day)}: {holder_text(tr, shift)}"
            )
    return "\n".join(lines)
