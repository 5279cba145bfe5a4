"""How /caseload and /covers read. Pure functions of the service results, so the wording
and what each viewer may see are tested without Telegram."""

from __future__ import annotations

from datetime import datetime

from babel.numbers import format_decimal

from bot.i18n import Translator
from bot.models import AbsenceKind, Coach, Role
from bot.services.absence.covers import Absent, CoverKind, FamilyCover
from bot.services.cases.caseload import Load

DAY = "EEE d MMM"


def caseload_text(tr: Translator, loads: list[Load]) -> str:
    if not loads:
        return tr._("There are no coaches in the bot yet.")
    lines = [tr._("Caseload per coach, most room first:")]
    for load in loads:
        fte = format_decimal(load.coach.fte, format="0.0#", locale=tr.locale)
        if load.absent is not None:
            state = tr._("no room now: %(kind)s", kind=_kind(tr, load.absent))
        elif load.room > 0:
            state = tr._("room for %(room)d", room=load.room)
        elif load.room == 0:
            state = tr._("full")
        else:
            state = tr._("%(over)d over the limit", over=-load.room)
        lines.append(
            tr._(
                "%(name)s: %(families)d of %(limit)d families, %(state)s (%(fte)s fte)",
                name=load.coach.name,
                families=load.families,
                limit=load.limit,
                state=state,
                fte=fte,
            )
        )
    room = sum(load.room_now for load in loads)
    lines += ["", tr._("Room in the team: %(room)d families.", room=room)]
    return "\n".join(lines)


def _kind(tr: Translator, kind: AbsenceKind) -> str:
    labels = {
        AbsenceKind.SICK: tr._("sick"),
        AbsenceKind.LEAVE: tr._("on leave"),
        AbsenceKind.TRAINING: tr._("at a training"),
        AbsenceKind.OTHER: tr._("absent"),
    }
    return labels[kind]


def _day(tr: Translator, instant: datetime) -> str:
    return tr.date(instant.astimezone(tr.tz).date(), DAY)


def covers_text(tr: Translator, absences: list[Absent], viewer: Coach) -> str:
    """Team leads see every case code; a coach sees codes only of families that are theirs
    (their own, or ones they stand in for), and counts for the rest."""
    if not absences:
        return tr._("Nobody is absent now: every family has its own coach.")
    lead = viewer.role in (Role.TEAMLEAD, Role.ADMIN)
    gaps = sum(len(absent.uncovered) for absent in absences)
    lines = [tr._("Who covers whom now, open gaps first.")]
    if gaps:
        lines.append(
            tr.n_(
                "%(n)d family has nobody to stand in for its coach.",
                "%(n)d families have nobody to stand in for their coach.",
                gaps,
            )
        )
    for absent in absences:
        lines.append("")
        kind = _kind(tr, absent.kind)
        if absent.end is None:
            lines.append(
                tr._(
                    "%(name)s: %(kind)s since %(start)s, until further notice",
                    name=absent.coach.name,
                    kind=kind,
                    start=_day(tr, absent.start),
                )
            )
        else:
            lines.append(
                tr._(
                    "%(name)s: %(kind)s since %(start)s, back %(end)s",
                    name=absent.coach.name,
                    kind=kind,
                    start=_day(tr, absent.start),
                    end=_day(tr, absent.end),
                )
            )
        if not absent.families:
            lines.append("  " + tr._("no families"))
            continue
        sees_own = lead or absent.coach.id == viewer.id
        if absent.uncovered:
            lines.append(
                "  "
                + tr._(
                    "NOT COVERED: %(families)s",
                    families=_families(tr, absent.uncovered, sees_own),
                )
            )
        for (kind_of, coach_id), group in _groups(absent.families).items():
            by = group[0].by
            assert by is not None
            visible = sees_own or coach_id == viewer.id
            how = (
                tr._("accepted backup request")
                if kind_of is CoverKind.COVER
                else tr._("fixed back-up")
            )
            lines.append(
                "  "
                + tr._(
                    "%(name)s (%(how)s): %(families)s",
                    name=by.name,
                    how=how,
                    families=_families(tr, group, visible),
                )
            )
    return "\n".join(lines)


def _groups(families: list[FamilyCover]) -> dict[tuple[CoverKind, int], list[FamilyCover]]:
    groups: dict[tuple[CoverKind, int], list[FamilyCover]] = {}
    for family in families:
        if family.by is not None:
            groups.setdefault((family.kind, family.by.id), []).append(family)
    return groups


def _families(tr: Translator, families: list[FamilyCover], visible: bool) -> str:
    if visible:
        return ", ".join(f.code for f in families)
    return tr.n_("%(n)d family", "%(n)d families", len(families))
