"""How the waitlist reads: a coach sees positions, days waiting and whom the family can reach;
a team lead also sees why each family stands where it does."""

from __future__ import annotations

from datetime import date

from babel.numbers import format_decimal

from bot.i18n import N_, Translator
from bot.models.waitlist import WaitlistEntry
from bot.models.waitlist_terms import Concern
from bot.services.waitlist.store import Placed, Problem, Refused
from bot.texts.split import excerpt

CONCERN_NAMES = {
    Concern.NONE: N_("no safety concern"),
    Concern.CONCERN: N_("safety concern"),
    Concern.ACUTE: N_("domestic violence or acute crisis"),
}
DAY = "EEE d MMM yyyy"


DECIDE = "wl:"


def decision_buttons(tr: Translator, entry: WaitlistEntry) -> list[list[tuple[str, str]]]:
    """The acceptance decision on a referral, as (label, callback data) rows."""
    return [
        [
            (tr._("Accept onto the waitlist"), f"{DECIDE}yes:{entry.id}"),
            (tr._("Do not accept"), f"{DECIDE}no:{entry.id}"),
        ]
    ]


def number(tr: Translator, value: float) -> str:
    return format_decimal(value, format="#,##0.#", locale=tr.locale)


def days_waiting(entry: WaitlistEntry, today: date) -> int:
    return max(0, (today - entry.referral_date).days)


def reason(tr: Translator, placed: Placed) -> str:
    """'score 16,5: complexity 4 (8), cost band 1 (1,5), 11 weeks waiting (11)'."""
    s, entry = placed.scored, placed.entry
    if s.acute:
        return tr._("acute safety: does not wait, intake at once")
    parts = [
        tr._(
            "complexity %(level)s (%(points)s)",
            level=entry.complexity,
            points=number(tr, s.complexity),
        ),
        tr._("cost band %(band)s (%(points)s)", band=entry.cost_band, points=number(tr, s.cost)),
    ]
    if s.concern:
        parts.append(tr._("safety concern (%(points)s)", points=number(tr, s.concern)))
    parts.append(
        tr.n_(
            "%(n)s week waiting (%(points)s)",
            "%(n)s weeks waiting (%(points)s)",
            s.weeks_waiting,
            points=number(tr, s.waiting),
        )
    )
    return tr._("score %(total)s: %(parts)s", total=number(tr, s.total), parts=", ".join(parts))


def referral_line(tr: Translator, entry: WaitlistEntry) -> str:
    return tr._(
        "%(code)s, referred %(date)s by %(referrer)s",
        code=entry.code,
        date=tr.date(entry.referral_date, DAY),
        referrer=entry.referrer or "?",
    )


def placed_line(tr: Translator, placed: Placed, today: date, *, lead: bool) -> str:
    line = tr.n_(
        "%(position)s. %(code)s, %(n)s day waiting, contact: %(contact)s",
        "%(position)s. %(code)s, %(n)s days waiting, contact: %(contact)s",
        days_waiting(placed.entry, today),
        position=placed.position,
        code=placed.entry.code,
        contact=placed.contact or tr._("nobody yet"),
    )
    if lead:
        line += "\n   " + reason(tr, placed)
    return line


def list_text(
    tr: Translator,
    placed: list[Placed],
    undecided: list[WaitlistEntry],
    today: date,
    *,
    lead: bool,
    norm_weeks: int,
) -> str:
    if not placed and not (lead and undecided):
        return tr._("Nobody is on the waitlist.")
    lines = [
        tr.n_(
            "Waitlist, %(n)s family, first in line first:",
            "Waitlist, %(n)s families, first in line first:",
            len(placed),
        )
    ]
    lines += [placed_line(tr, p, today, lead=lead) for p in placed]
    late = [p for p in placed if p.scored.weeks_waiting >= norm_weeks]
    if late:
        lines.append(
            tr._(
                "Past the %(weeks)s-week norm: %(codes)s",
                weeks=norm_weeks,
                codes=", ".join(p.entry.code for p in late),
            )
        )
    if lead and undecided:
        lines.append(
            tr.n_(
                "%(n)s referral awaits your decision (below).",
                "%(n)s referrals await your decision (below).",
                len(undecided),
            )
        )
    return "\n".join(lines)


def position_text(
    tr: Translator, placed: Placed, total: int, today: date, start: date | None, *, lead: bool
) -> str:
    lines = [
        tr.n_(
            "%(code)s is number %(position)s of %(total)s on the waitlist, waiting %(n)s day "
            "(referred %(date)s).",
            "%(code)s is number %(position)s of %(total)s on the waitlist, waiting %(n)s days "
            "(referred %(date)s).",
            days_waiting(placed.entry, today),
            code=placed.entry.code,
            position=placed.position,
            total=total,
            date=tr.date(placed.entry.referral_date, DAY),
        ),
        tr._(
            "Contact for the family while waiting: %(name)s.",
            name=placed.contact or tr._("nobody yet"),
        ),
        tr._(
            "Expected start: %(date)s, if places keep freeing up as in recent weeks.",
            date=tr.date(start, DAY),
        )
        if start
        else tr._("Expected start: unknown, no family has started recently."),
    ]
    if lead:
        lines.append(reason(tr, placed))
    return "\n".join(lines)


def refusal_text(tr: Translator, refused: Refused) -> str:
    texts = {
        Problem.BAD_CODE: tr._(
            "'%(text)s' is not a case code: letters, digits and dashes, 3 to 32 of them.",
            text=excerpt(refused.detail),
        ),
        Problem.DUPLICATE: tr._(
            "%(text)s is already on the waitlist; nothing was changed.",
            text=excerpt(refused.detail),
        ),
        Problem.ALREADY_A_CASE: tr._(
            "%(text)s already has a coach; it cannot go on the waitlist.",
            text=excerpt(refused.detail),
        ),
        Problem.BAD_COMPLEXITY: tr._(
            "Complexity is 1 to 5, not '%(text)s'.", text=excerpt(refused.detail)
        ),
        Problem.BAD_COST: tr._(
            "The cost band is 1 to 4, not '%(text)s'.", text=excerpt(refused.detail)
        ),
        Problem.FUTURE_REFERRAL: tr._("A referral date cannot lie in the future."),
        Problem.NOT_ON_LIST: tr._("%(text)s is not on the waitlist.", text=excerpt(refused.detail)),
        Problem.NOT_ACCEPTED: tr._(
            "%(text)s still awaits the acceptance decision; accept it first (/waitlist).",
            text=excerpt(refused.detail),
        ),
        Problem.UNKNOWN_COACH: tr._(
            "I don't know an active coach called '%(text)s'.", text=excerpt(refused.detail)
        ),
        Problem.AMBIGUOUS_COACH: tr._(
            "'%(text)s' could be several people: %(names)s. Give the full name.",
            text=excerpt(refused.detail),
            names=", ".join(refused.options),
        ),
        Problem.COACH_FULL: tr._(
            "%(name)s already has %(families)s families with a limit of %(limit)s; nothing was "
            "changed. /caseload shows who has room.",
            name=excerpt(refused.detail),
            families=refused.options[0] if refused.options else "?",
            limit=refused.options[1] if len(refused.options) > 1 else "?",
        ),
        Problem.COACH_ABSENT: tr._(
            "%(name)s is absent now; nothing was changed.", name=excerpt(refused.detail)
        ),
    }
    return texts[refused.problem]
