"""The roster report as plain text for Telegram (no Markdown: coach names may hold any
character). Long reports are split into messages by the sender, on line boundaries."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from babel.numbers import format_decimal

from bot.i18n import Translator
from bot.services.rosters.core import Shift
from bot.services.rosters.report import (
    OVERLOAD_TOLERANCE,
    PERIOD,
    CoachHours,
    HoursPeriod,
    RestConflict,
    RosterReport,
)
from bot.texts.roster import DAY, duty_name, span_text, when

WEEKS = PERIOD.days // 7


def number(tr: Translator, value: float) -> str:
    """Hours to one decimal in the reader's notation: '15,5' in Dutch."""
    return format_decimal(round(value, 1), format="#,##0.#", locale=tr.locale)


def signed(tr: Translator, value: float) -> str:
    shown = round(value, 1)
    sign = "+" if shown > 0 else "-" if shown < 0 else ""
    return sign + number(tr, abs(shown))


def _coach_lines(tr: Translator, coach: CoachHours) -> list[str]:
    name = coach.name
    if not coach.linked:
        name = tr._("%(name)s (not linked to a coach in the bot)", name=coach.name)
    if not coach.on_rotation:
        line = tr._(
            "- %(name)s: %(hours)s hours, not on a rotation",
            name=name,
            hours=number(tr, coach.total),
        )
    else:
        line = tr._(
            "- %(name)s, %(fte)s fte: %(hours)s hours, share %(share)s, difference %(difference)s",
            name=name,
            fte=format_decimal(coach.fte, format="0.##", locale=tr.locale),
            hours=number(tr, coach.total),
            share=number(tr, coach.share),
            difference=signed(tr, coach.difference),
        )
    if coach.over_share:
        line += " " + tr._(
            "<- more than %(percent)s%% over share", percent=round(OVERLOAD_TOLERANCE * 100)
        )
    lines = [line]
    if coach.hours:
        per_duty = [
            tr._("%(duty)s: %(hours)s", duty=duty_name(tr, duty), hours=number(tr, hours))
            for duty, hours in coach.hours.items()
        ]
        lines.append("   " + ", ".join(per_duty))
    return lines


def _days(tr: Translator, period: HoursPeriod) -> str:
    """'ma 28 sep – zo 22 nov': the whole local days the period runs over."""
    first = period.start.astimezone(tr.tz).date()
    last = period.end.astimezone(tr.tz).date() - timedelta(days=1)
    return f"{tr.date(first, DAY)} – {tr.date(last, DAY)}"


def _period_lines(tr: Translator, period: HoursPeriod, heading: str) -> list[str]:
    lines = [
        tr._(
            "%(heading)s (%(span)s): %(hours)s hours held, share by fte.",
            heading=heading,
            span=_days(tr, period),
            hours=number(tr, period.held_hours),
        )
    ]
    for coach in period.coaches:
        lines.extend(_coach_lines(tr, coach))
    return lines


def _gap_line(tr: Translator, gap: Shift) -> str:
    if gap.absent is not None:
        reason = tr._("%(name)s is absent", name=gap.absent)
    else:
        reason = tr._("nobody rostered")
    return tr._(
        "- %(duty)s: %(span)s, %(reason)s",
        duty=duty_name(tr, gap.duty),
        span=span_text(tr, gap.start, gap.end),
        reason=reason,
    )


def _gap_lines(tr: Translator, report: RosterReport) -> list[str]:
    if not report.gaps:
        return [tr._("No gaps in the next %(weeks)d weeks.", weeks=WEEKS)]
    heading = tr._("Gaps (nobody on duty) in the next %(weeks)d weeks:", weeks=WEEKS)
    return [heading, *(_gap_line(tr, gap) for gap in report.gaps)]


def _absent_lines(tr: Translator, report: RosterReport) -> list[str]:
    """Who is rostered while absent, counted per coach: the shifts themselves are in the
    gaps above, each told once."""
    if not report.absent_rostered:
        return [tr._("Nobody is rostered while absent in the next %(weeks)d weeks.", weeks=WEEKS)]
    counts = Counter(shift.absent or "" for shift in report.absent_rostered)
    heading = tr._("Rostered while absent, next %(weeks)d weeks (in the gaps above):", weeks=WEEKS)
    return [
        heading,
        *(
            tr.n_("- %(name)s: %(n)d shift", "- %(name)s: %(n)d shifts", count, name=name)
            for name, count in sorted(counts.items())
        ),
    ]


def _conflict_line(tr: Translator, conflict: RestConflict) -> str:
    return tr._(
        "- %(name)s: %(after)s %(after_span)s, then %(before)s %(before_span)s: "
        "%(rest)s hours rest",
        name=conflict.coach,
        after=duty_name(tr, conflict.earlier.duty),
        after_span=span_text(tr, conflict.earlier.start, conflict.earlier.end),
        before=duty_name(tr, conflict.later.duty),
        before_span=span_text(tr, conflict.later.start, conflict.later.end),
        rest=number(tr, conflict.rest_hours),
    )


def _rest_lines(tr: Translator, report: RosterReport) -> list[str]:
    if not report.rest_rules:
        return [tr._("Rest time: no rest rules are set in the team config.")]
    rules = "; ".join(
        tr._(
            "no %(before)s within %(hours)s hours after %(after)s",
            before=duty_name(tr, rule.before),
            hours=number(tr, rule.min_rest_hours),
            after=duty_name(tr, rule.after),
        )
        for rule in report.rest_rules
    )
    params = {"rules": rules, "start": when(tr, report.rest_from), "weeks": WEEKS}
    if not report.rest_conflicts:
        return [
            tr._(
                "Rest time (%(rules)s): no conflicts from %(start)s through the next "
                "%(weeks)d weeks.",
                **params,
            )
        ]
    heading = tr._(
        "Rest time (%(rules)s), conflicts from %(start)s through the next %(weeks)d weeks:",
        **params,
    )
    return [heading, *(_conflict_line(tr, c) for c in report.rest_conflicts)]


def report_text(tr: Translator, report: RosterReport) -> str:
    """The whole report; may exceed one Telegram message (see bot.handlers.long_text)."""
    if not report.past.duties:
        return tr._("No duty rosters are set up yet. A team lead sets them with /rota.")
    sections = [
        [tr._("Roster report, %(now)s", now=when(tr, report.now))],
        _period_lines(tr, report.past, tr._("Duty hours, last %(weeks)d weeks", weeks=WEEKS)),
        _period_lines(tr, report.coming, tr._("Duty hours, next %(weeks)d weeks", weeks=WEEKS)),
        _gap_lines(tr, report),
        _absent_lines(tr, report),
        _rest_lines(tr, report),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections)
