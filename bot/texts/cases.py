"""How a case card and a coach's list of families read. A contact-only card is built from a
Card without details, so it cannot show case data even by mistake here."""

from __future__ import annotations

from datetime import date

from bot.i18n import Translator
from bot.services.cases.access import Relation
from bot.services.cases.lookup import Card, Contact, MyCase
from bot.texts.alerts import PHASE_NAMES, SAFETY_NAMES
from bot.texts.contacts import with_phone
from bot.texts.roster import duty_name, holder_text

DATE = "d MMM yyyy"  # "3 mrt 2026"


def day(tr: Translator, value: date | None) -> str:
    return tr.date(value, DATE) if value is not None else tr._("not set")


def contact_text(tr: Translator, contact: Contact | None) -> str:
    if contact is None:
        return tr._("none")
    if contact.absent:
        return tr._("%(name)s (absent)", name=contact.name)
    if contact.reachable:
        text = tr._("%(name)s (reachable through me)", name=contact.name)
    else:
        text = tr._("%(name)s (not reachable through me)", name=contact.name)
    return with_phone(tr, text, contact.phone)


def _who_to_contact(tr: Translator, card: Card) -> list[str]:
    lines = [
        tr._("Coach: %(name)s", name=contact_text(tr, card.coach)),
        tr._("Backup: %(name)s", name=contact_text(tr, card.backup)),
    ]
    for cover in card.covering:
        lines.append(tr._("Covering during absence: %(name)s", name=contact_text(tr, cover)))
    if card.coach is not None and card.coach.absent and not card.covering:
        lines.append(tr._("Nobody covers this family during the coach's absence."))
    for shift in card.on_duty:
        lines.append(
            tr._(
                "On duty now, %(duty)s: %(holder)s",
                duty=duty_name(tr, shift.duty),
                holder=holder_text(tr, shift),
            )
        )
    return lines


def card_text(tr: Translator, card: Card) -> str:
    details = card.details
    if details is None:
        return "\n".join(
            [
                tr._("📁 %(code)s: whom to contact", code=card.code),
                *_who_to_contact(tr, card),
                "",
                tr._(
                    "You only see whom to contact. The family's details are for its coach, "
                    "its backups and the team leads."
                ),
            ]
        )
    evaluation = day(tr, details.next_evaluation)
    if details.evaluation_overdue:
        evaluation = tr._("%(date)s, OVERDUE", date=evaluation)
    safety = tr._(SAFETY_NAMES[details.safety_status])
    if details.safety_date is not None:
        safety = tr._("%(status)s (%(date)s)", status=safety, date=day(tr, details.safety_date))
    return "\n".join(
        [
            tr._("📁 %(code)s", code=card.code),
            *_who_to_contact(tr, card),
            tr._("Phase: %(phase)s", phase=tr._(PHASE_NAMES[details.phase])),
            tr._("Started: %(date)s", date=day(tr, details.start_date)),
            tr._("Next evaluation: %(date)s", date=evaluation),
            tr._("Safety: %(status)s", status=safety),
            tr._("Referred by: %(referrer)s", referrer=details.referrer or tr._("unknown")),
            tr._("Last contact: %(date)s", date=day(tr, details.last_contact)),
        ]
    )


def _my_case_line(tr: Translator, item: MyCase) -> str:
    case = item.case
    parts = [case.code]
    if item.relation is Relation.BACKUP:
        parts[0] = tr._("%(code)s (backup)", code=case.code)
    elif item.relation is Relation.COVERING:
        parts[0] = tr._("%(code)s (covering)", code=case.code)
    parts.append(tr._(PHASE_NAMES[case.phase]))
    if case.next_evaluation is not None:
        evaluation = tr._("evaluation %(date)s", date=day(tr, case.next_evaluation))
        if item.evaluation_overdue:
            evaluation = tr._("%(date)s, OVERDUE", date=evaluation)
        parts.append(evaluation)
    if case.last_contact is None:
        parts.append(tr._("no contact recorded"))
    else:
        parts.append(tr._("last contact %(date)s", date=day(tr, case.last_contact)))
    mark = "⚠️ " if item.evaluation_overdue or item.contact_stale else "• "
    return mark + " · ".join(parts)


def my_cases_text(tr: Translator, items: list[MyCase]) -> str:
    if not items:
        return tr._("You have no families as coach, backup or cover.")
    header = tr.n_("Your family (%(n)d):", "Your families (%(n)d):", len(items))
    lines = [header, *(_my_case_line(tr, item) for item in items)]
    lines += ["", tr._("⚠️ = evaluation overdue or no recent contact. /case CODE shows a card.")]
    return "\n".join(lines)
