"""How a crisis alert reads: the case card for the coaches alerted, and the short lines for
reporters, who may be partners and see no case data."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_, Translator
from bot.models import Alert, Case, Phase, SafetyStatus
from bot.texts.contacts import with_phone
from bot.texts.roster import WHEN
from bot.texts.visits import SafetyFacts, safety_card

PHASE_NAMES = {
    Phase.AANMELDING: N_("referral"),
    Phase.INTAKE: N_("intake"),
    Phase.PLAN: N_("plan"),
    Phase.UITVOERING: N_("carrying out the plan"),
    Phase.EVALUATIE: N_("evaluation"),
    Phase.AFSLUITING: N_("closing"),
}
SAFETY_NAMES = {
    SafetyStatus.NOT_ASSESSED: N_("not assessed"),
    SafetyStatus.ASSESSED: N_("assessed"),
    SafetyStatus.SAFETY_PLAN: N_("safety plan"),
    SafetyStatus.VEILIG_THUIS: N_("Veilig Thuis involved"),
}
TAKE = N_("I'll take it")
DECLINE = N_("Can't")


@dataclass(frozen=True)
class CardFacts:
    """What the card shows besides the alert itself, looked up when it is sent."""

    case: Case | None
    own_coach: str | None
    own_absent: bool
    backup: str | None
    reporter: str
    # Staff numbers for the card's lines of whom to call back or ask (None: not known).
    reporter_phone: str | None = None
    own_phone: str | None = None
    backup_phone: str | None = None
    # A safety alert (a coach on a home visit) shows these instead of a case.
    safety: SafetyFacts | None = None


def card(tr: Translator, alert: Alert, facts: CardFacts) -> str:
    if facts.safety is not None:
        return safety_card(tr, alert, facts.safety)
    lines = [
        tr._("🚨 CRISIS ALERT %(code)s", code=alert.case_code),
        alert.text,
        tr._(
            "Raised by %(reporter)s at %(when)s.",
            reporter=with_phone(tr, facts.reporter, facts.reporter_phone),
            when=tr.datetime(alert.raised_at, WHEN),
        ),
    ]
    if alert.arrived_late and alert.written_at is not None:
        lines.append(
            tr._(
                "⏰ Arrived late: written on %(written)s, received on %(received)s.",
                written=tr.datetime(alert.written_at, WHEN),
                received=tr.datetime(alert.raised_at, WHEN),
            )
        )
    lines.append("")
    case = facts.case
    if case is None:
        lines.append(tr._("This code is not in the bot (a new family?)."))
        return "\n".join(lines)
    own = facts.own_coach or tr._("none")
    if facts.own_coach and facts.own_absent:
        own = tr._("%(name)s (absent)", name=own)
    elif facts.own_coach:
        own = with_phone(tr, own, facts.own_phone)
    backup = with_phone(tr, facts.backup, facts.backup_phone) if facts.backup else tr._("none")
    lines += [
        tr._("Coach: %(name)s", name=own),
        tr._("Backup: %(name)s", name=backup),
        tr._("Safety: %(status)s", status=tr._(SAFETY_NAMES[case.safety_status])),
        tr._("Phase: %(phase)s", phase=tr._(PHASE_NAMES[case.phase])),
    ]
    return "\n".join(lines)


def taken_line(tr: Translator, name: str, alert: Alert) -> str:
    if alert.taken_at is None:  # set in the same update as the taker
        raise ValueError(f"alert {alert.id} is not taken")
    return tr._(
        "✅ Taken by %(name)s at %(when)s.", name=name, when=tr.datetime(alert.taken_at, WHEN)
    )
