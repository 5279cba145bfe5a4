"""How /rota reads: the rotations in order, a change's preview and what became of it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from bot.config.duties import DUTIES, Duty, RotationConfig
from bot.i18n import Translator
from bot.services.rosters.rota_edit import Decision, Edit, Outcome, Preview, Problem, Refusal
from bot.texts.roster import duty_name, holder_text, span_text
from bot.texts.split import excerpt

_A_MONDAY = date(2026, 11, 23)


def weekdays_text(tr: Translator, days: frozenset[int] | None) -> str:
    """'ma, di, do' in the reader's language; every day when None."""
    if days is None or len(days) == 7:
        return tr._("every day")
    return ", ".join(tr.date(_A_MONDAY + timedelta(days=d - 1), "EEE") for d in sorted(days))


def usage(tr: Translator) -> str:
    return tr._(
        "Change a rotation with:\n"
        "/rota add <duty> <name> [position]\n"
        "/rota remove <duty> <name>\n"
        "/rota move <duty> <name> <position>\n"
        "/rota shift <duty> day|week\n"
        "/rota handover <duty> HH:MM|default\n"
        "/rota start <duty> <date>\n"
        "/rota workdays <name> <days>, for example mon-thu or mon,tue,thu\n"
        "/rota plan <date> <weeks>w, for example /rota plan 2027-01-04 13w\n"
        "Duties: bureaudienst, piket, piket2. Every change is shown for the coming two weeks "
        "before you confirm it."
    )


def _rotation_text(
    tr: Translator,
    duty: Duty,
    rotation: RotationConfig,
    handover: str,
    workdays: Mapping[str, frozenset[int]],
) -> str:
    shift = tr._("by the day") if rotation.shift == "day" else tr._("by the week")
    head = tr._(
        "%(duty)s (%(shift)s, handover %(handover)s, from %(start)s):",
        duty=duty_name(tr, duty),
        shift=shift,
        handover=handover,
        start=tr.date(rotation.start, "EEE d MMM yyyy") if rotation.start else "–",
    )
    if not rotation.members:
        return head + "\n  " + tr._("nobody")
    lines = [head]
    for number, name in enumerate(rotation.members, start=1):
        days = workdays.get(name)
        suffix = f" ({weekdays_text(tr, days)})" if days is not None else ""
        lines.append(f"  {number}. {name}{suffix}")
    return "\n".join(lines)


def overview(
    tr: Translator,
    rotations: Mapping[Duty, RotationConfig],
    handovers: Mapping[Duty, str],
    workdays: Mapping[str, frozenset[int]],
) -> str:
    parts = [
        _rotation_text(tr, duty, rotations[duty], handovers[duty], workdays) for duty in DUTIES
    ]
    return "\n\n".join([*parts, usage(tr)])


def edit_text(tr: Translator, edit: Edit) -> str:
    duty = duty_name(tr, edit.duty)
    if edit.action == "add":
        return tr._(
            "%(duty)s: add %(name)s at position %(position)s.",
            duty=duty,
            name=edit.name,
            position=edit.position,
        )
    if edit.action == "remove":
        return tr._("%(duty)s: take %(name)s out of the rotation.", duty=duty, name=edit.name)
    if edit.action == "move":
        return tr._(
            "%(duty)s: move %(name)s to position %(position)s.",
            duty=duty,
            name=edit.name,
            position=edit.position,
        )
    if edit.action == "shift":
        length = tr._("by the day") if edit.value == "day" else tr._("by the week")
        return tr._("%(duty)s: shifts %(length)s.", duty=duty, length=length)
    if edit.action == "handover":
        if edit.value is None:
            return tr._("%(duty)s: hand over when the duty's hours begin.", duty=duty)
        return tr._("%(duty)s: hand over at %(time)s.", duty=duty, time=edit.value)
    return tr._(
        "%(duty)s: the rotation starts on %(day)s.",
        duty=duty,
        day=tr.date(date.fromisoformat(edit.value or ""), "EEE d MMM yyyy"),
    )


def preview_text(tr: Translator, preview: Preview) -> str:
    lines = [edit_text(tr, preview.edit), "", tr._("The coming two weeks with this change:")]
    for line in preview.lines:
        text = f"{span_text(tr, line.shift.start, line.shift.end)}: {holder_text(tr, line.shift)}"
        if line.changed:
            text = "• " + text + " " + tr._("(now: %(name)s)", name=line.before or tr._("nobody"))
        else:
            text = "  " + text
        lines.append(text)
    if not preview.lines:
        lines.append(tr._("No shifts of this duty in the coming two weeks."))
    lines += ["", tr._("Confirm to put this in force at once.")]
    return "\n".join(lines)


def decision_text(tr: Translator, decision: Decision, edit_line: str) -> str:
    if decision.outcome is Outcome.APPLIED:
        return tr._("In force now: %(change)s", change=edit_line)
    if decision.outcome is Outcome.CANCELLED:
        return tr._("Cancelled; the rotation stays as it was.")
    if decision.outcome is Outcome.STALE:
        return tr._(
            "The rotation was changed by someone else since this preview; nothing was changed. "
            "Ask again with /rota."
        )
    return tr._("This button no longer works.")


def refusal_text(tr: Translator, refusal: Refusal) -> str:
    texts = {
        Problem.USAGE: usage(tr),
        Problem.UNKNOWN_DUTY: tr._("'%(text)s' is not a duty.", text=excerpt(refusal.detail))
        + " "
        + tr._("Duties: bureaudienst, piket, piket2."),
        Problem.UNKNOWN_COACH: tr._(
            "I don't know an active team member called '%(text)s'.", text=excerpt(refusal.detail)
        ),
        Problem.AMBIGUOUS_COACH: tr._(
            "'%(text)s' could be several people: %(names)s. Give the full name.",
            text=excerpt(refusal.detail),
            names=", ".join(refusal.candidates),
        ),
        Problem.ALREADY_MEMBER: tr._(
            "%(name)s is already in this rotation; use move to change their place.",
            name=excerpt(refusal.detail),
        ),
        Problem.NOT_MEMBER: tr._(
            "'%(text)s' is not in this rotation.", text=excerpt(refusal.detail)
        ),
        Problem.BAD_POSITION: tr._(
            "'%(text)s' is not a place in this rotation; give a number from 1.",
            text=excerpt(refusal.detail),
        ),
        Problem.BAD_SHIFT: tr._(
            "'%(text)s' is not a shift length; use day or week.", text=excerpt(refusal.detail)
        ),
        Problem.BAD_TIME: tr._(
            "'%(text)s' is not a time; use HH:MM such as 17:00, or default.",
            text=excerpt(refusal.detail),
        ),
        Problem.BAD_DAY: tr._(
            "'%(text)s' is not a day I know. Use for example vandaag, morgen, 24-11 or 24-11-2026.",
            text=excerpt(refusal.detail),
        ),
        Problem.NO_CHANGE: tr._("That is how the rotation is already; nothing to change."),
    }
    return texts[refusal.problem]
