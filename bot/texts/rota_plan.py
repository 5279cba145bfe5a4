"""How a proposed roster reads: hours per coach against their fair share, weekend and holiday
piket, holidays and the gaps nobody could fill (with why); and /rosterreport's comparison of
the roster in force with the latest plan."""

from __future__ import annotations

from datetime import timedelta

from babel.numbers import format_decimal

from bot.i18n import N_, Translator
from bot.models import PlanStatus
from bot.services.rosters.plans import Comparison, Proposed
from bot.services.rosters.proposal import Gap
from bot.texts.roster import DAY, duty_name, span_text
from bot.texts.roster_report import number

GAPS_SHOWN = 15
REASONS = {
    "workday": N_("not a workday"),
    "absent": N_("absent"),
    "busy": N_("on another duty"),
    "rest": N_("rest rule"),
}


def _fte(tr: Translator, value: float) -> str:
    return format_decimal(value, format="0.##", locale=tr.locale)


def _gap_line(tr: Translator, gap: Gap) -> str:
    why = ", ".join(f"{name}: {tr._(REASONS[reason])}" for name, reason in gap.reasons.items())
    return tr._(
        "- %(duty)s %(span)s (%(why)s)",
        duty=duty_name(tr, gap.slot.duty),
        span=span_text(tr, gap.slot.pieces[0][0], gap.slot.pieces[-1][1]),
        why=why or tr._("nobody on the rotation"),
    )


def proposal_text(tr: Translator, proposed: Proposed) -> str:
    plan = proposed.proposal
    lines = [
        tr._(
            "Proposed roster %(first)s – %(last)s. Nothing changes until you approve it.",
            first=tr.date(plan.first_day, DAY + " yyyy"),
            last=tr.date(plan.until - timedelta(days=1), DAY + " yyyy"),
        ),
        "",
        tr._("Duty hours per coach against their fair share by fte (the 8 weeks before counted):"),
    ]
    for total in plan.totals:
        lines.append(
            tr._(
                "- %(name)s, %(fte)s fte: %(hours)s h (fair %(fair)s h), weekend or holiday "
                "piket: %(special)s, public holidays: %(holidays)s",
                name=total.name,
                fte=_fte(tr, total.fte),
                hours=number(tr, total.hours),
                fair=number(tr, total.fair),
                special=total.special,
                holidays=total.holidays,
            )
        )
    lines.append("")
    if plan.gaps:
        lines.append(
            tr.n_(
                "%(count)s shift nobody could take:",
                "%(count)s shifts nobody could take:",
                len(plan.gaps),
                count=len(plan.gaps),
            )
        )
        lines += [_gap_line(tr, gap) for gap in plan.gaps[:GAPS_SHOWN]]
        if len(plan.gaps) > GAPS_SHOWN:
            lines.append(tr._("… and %(count)s more.", count=len(plan.gaps) - GAPS_SHOWN))
    else:
        lines.append(tr._("No gaps: every shift has a coach."))
    if proposed.unlinked:
        lines.append(
            tr._(
                "Left out (no team member with this name): %(names)s",
                names=", ".join(proposed.unlinked),
            )
        )
    lines += [
        "",
        tr._("Approved, these shifts are the roster; overrides and swaps stay on top."),
    ]
    return "\n".join(lines)


def comparison_text(tr: Translator, comparison: Comparison) -> str:
    status = tr._("approved") if comparison.status is PlanStatus.APPROVED else tr._("proposed")
    lines = [
        tr._(
            "Roster in force against the %(status)s plan %(first)s – %(last)s (hours with the "
            "8 weeks before, fair share by fte):",
            status=status,
            first=tr.date(comparison.first_day, DAY),
            last=tr.date(comparison.until - timedelta(days=1), DAY + " yyyy"),
        )
    ]
    for coach in comparison.coaches:
        lines.append(
            tr._(
                "- %(name)s, %(fte)s fte: in force %(held)s of %(held_fair)s h; plan "
                "%(planned)s of %(planned_fair)s h",
                name=coach.name,
                fte=_fte(tr, coach.fte),
                held=number(tr, coach.in_force),
                held_fair=number(tr, coach.in_force_fair),
                planned=number(tr, coach.planned),
                planned_fair=number(tr, coach.planned_fair),
            )
        )
    lines.append(
        tr._(
            "Furthest from a fair share: in force %(in_force)s %%, plan %(planned)s %%.",
            in_force=number(tr, comparison.in_force_spread * 100),
            planned=number(tr, comparison.planned_spread * 100),
        )
    )
    return "\n".join(lines)
