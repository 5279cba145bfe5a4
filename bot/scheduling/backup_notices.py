"""Outbox messages of absences and backup rounds, worded when sent: a request already
answered, expired or cancelled is not sent any more."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.i18n import N_, Translator
from bot.models import (
    AbsenceKind,
    AbsenceRecord,
    Alert,
    AlertStatus,
    AuditEvent,
    Case,
    CaseContact,
    CaseCover,
    Coach,
    CoverStatus,
    OutboxMessage,
    Phase,
)
from bot.scheduling.notices import Obsolete, Outcome, Render, Text
from bot.services.absence import backup_round, candidates, covers
from bot.services.alerts.closing import OUTCOMES
from bot.texts.alerts import PHASE_NAMES, SAFETY_NAMES
from bot.texts.roster import DAY, WHEN
from bot.texts.split import split_message

KIND_NAMES = {
    AbsenceKind.SICK: N_("sick"),
    AbsenceKind.LEAVE: N_("on leave"),
    AbsenceKind.TRAINING: N_("at a training"),
    AbsenceKind.OTHER: N_("absent"),
}
ACCEPT = N_("Accept")
DECLINE = N_("Decline")


def period(tr: Translator, config: TeamConfig, absence: AbsenceRecord) -> str:
    """'from ma 23 nov' or 'from ma 21 dec until zo 3 jan' (the last day, inclusive)."""
    first = tr.date(absence.start.astimezone(config.tz).date(), DAY)
    if absence.end is None:
        return tr._("from %(first)s until further notice", first=first)
    last = (absence.end - timedelta(microseconds=1)).astimezone(config.tz).date()
    return tr._("from %(first)s until %(last)s", first=first, last=tr.date(last, DAY))


def case_lines(tr: Translator, case: Case) -> list[str]:
    def day(value: date | None) -> str:
        return tr.date(value, DAY) if value else tr._("none")

    return [
        tr._("Phase: %(phase)s", phase=tr._(PHASE_NAMES[case.phase])),
        tr._("Safety: %(status)s", status=tr._(SAFETY_NAMES[case.safety_status])),
        tr._("Next evaluation: %(day)s", day=day(case.next_evaluation)),
        tr._("Last contact: %(day)s", day=day(case.last_contact)),
    ]


async def _cover_of(
    session: AsyncSession, row: OutboxMessage, status: CoverStatus
) -> tuple[CaseCover, AbsenceRecord, Case, Coach] | Obsolete:
    """The cover a message is about, with its absence, family and absent coach, while the
    cover is still in `status`; otherwise the message is no longer true."""
    cover = await session.get(CaseCover, row.payload["cover_id"])
    if cover is None or cover.status != status:
        return Obsolete(f"the cover is no longer {status.value}")
    absence = await session.get(AbsenceRecord, cover.absence_id)
    case = await session.get(Case, cover.case_id)
    own = await session.get(Coach, absence.coach_id) if absence else None
    if absence is None or case is None or own is None:
        return Obsolete("gone")
    return cover, absence, case, own


async def cover_request(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    found = await _cover_of(session, row, CoverStatus.ASKED)
    if isinstance(found, Obsolete):
        return found
    cover, absence, case, own = found
    if cover.deadline is None:  # an asked cover always has one (backup_round.ask)
        return Obsolete("no deadline")
    lines = [
        tr._(
            "Back-up request for family %(code)s: %(name)s is %(kind)s %(period)s. "
            "Will you cover this family meanwhile?",
            code=case.code,
            name=own.name,
            kind=tr._(KIND_NAMES[absence.kind]),
            period=period(tr, config, absence),
        ),
        "",
        *case_lines(tr, case),
        "",
        tr._(
            "Please answer before %(when)s; after that I ask someone else.",
            when=tr.datetime(cover.deadline, WHEN),
        ),
    ]
    return Text(
        ["\n".join(lines)],
        buttons=[
            [
                (tr._(ACCEPT), f"cover:accept:{cover.id}"),
                (tr._(DECLINE), f"cover:decline:{cover.id}"),
            ]
        ],
    )


async def backup_uncovered(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    absence = await session.get(AbsenceRecord, row.payload["absence_id"])
    if absence is None or (absence.end is not None and absence.end <= now):
        return Obsolete("the absence is over")
    own = await session.get(Coach, absence.coach_id)
    wanted = set(row.payload["case_ids"])
    cases = [
        c for c in await backup_round.uncovered(session, config, absence, now) if c.id in wanted
    ]
    if not cases or own is None:
        return Obsolete("covered meanwhile")
    lines = [
        tr.n_(
            "Nobody could take %(n)d family of %(name)s (%(kind)s %(period)s):",
            "Nobody could take %(n)d families of %(name)s (%(kind)s %(period)s):",
            len(cases),
            name=own.name,
            kind=tr._(KIND_NAMES[absence.kind]),
            period=period(tr, config, absence),
        ),
        *(case.code for case in cases),
        "",
        tr._("Choose a family to assign a back-up by hand."),
    ]
    return Text(
        ["\n".join(lines)],
        buttons=[[(case.code, f"cover:pick:{absence.id}:{case.id}")] for case in cases],
    )


async def cover_assigned(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    found = await _cover_of(session, row, CoverStatus.ACCEPTED)
    if isinstance(found, Obsolete):
        return found
    _, absence, case, own = found
    lines = [
        tr._(
            "The team lead has asked you to cover family %(code)s while %(name)s is "
            "%(kind)s %(period)s. You get its crisis alerts in office hours and can see its "
            "card with /case %(code)s.",
            code=case.code,
            name=own.name,
            kind=tr._(KIND_NAMES[absence.kind]),
            period=period(tr, config, absence),
        ),
        "",
        *case_lines(tr, case),
    ]
    return Text(["\n".join(lines)])


async def _alert_line(tr: Translator, session: AsyncSession, alert: Alert) -> str:
    when = tr.datetime(alert.raised_at, WHEN)
    if alert.status == AlertStatus.RESOLVED and alert.outcome in OUTCOMES:
        return tr._(
            "Crisis alert %(when)s: resolved (%(outcome)s).",
            when=when,
            outcome=tr._(OUTCOMES[alert.outcome]),
        )
    if alert.taken_by_id is not None:
        taker = await session.get(Coach, alert.taken_by_id)
        return tr._(
            "Crisis alert %(when)s: taken by %(name)s, not resolved yet.",
            when=when,
            name=taker.name if taker else "?",
        )
    if alert.status == AlertStatus.UNANSWERED:
        return tr._("Crisis alert %(when)s: nobody took it.", when=when)
    return tr._("Crisis alert %(when)s: still open.", when=when)


def _covered_line(tr: Translator, cover: covers.FamilyCover) -> str:
    if cover.kind is covers.CoverKind.COVER:
        return tr._("Covered by %(names)s.", names=", ".join(c.name for c in cover.all_by))
    if cover.kind is covers.CoverKind.BACKUP and cover.by is not None:
        if cover.partly:
            return tr._(
                "Covered by %(name)s (fixed back-up), who was away part of the time.",
                name=cover.by.name,
            )
        return tr._("Covered by %(name)s (fixed back-up).", name=cover.by.name)
    return tr._("Nobody covered this family.")


async def absence_summary(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    absence = await session.get(AbsenceRecord, row.payload["absence_id"])
    if absence is None or absence.end is None or absence.end > now:
        return Obsolete("not over")
    cases = await candidates.families(session, config, absence.coach_id, now)
    if not cases:
        return Obsolete("no families")
    start, end = absence.start, absence.end
    lines = [
        tr._(
            "Welcome back. Your families while you were away (%(period)s):",
            period=period(tr, config, absence),
        )
    ]
    # The same rule /covers showed during the absence.
    covered = await covers.covered_during(session, absence, cases)
    for case in cases:
        lines += ["", case.code]
        lines.append(_covered_line(tr, covered[case.id]))
        contacts = list(
            await session.scalars(
                select(CaseContact)
                .where(
                    CaseContact.case_id == case.id,
                    CaseContact.recorded_at >= start,
                    CaseContact.recorded_at < end,
                )
                .order_by(CaseContact.recorded_at)
            )
        )
        if contacts:
            last = contacts[-1]
            by = await session.get(Coach, last.coach_id)
            lines.append(
                tr.n_(
                    "%(n)d contact recorded, the last on %(day)s by %(name)s.",
                    "%(n)d contacts recorded, the last on %(day)s by %(name)s.",
                    len(contacts),
                    day=tr.date(last.on, DAY),
                    name=by.name if by else "?",
                )
            )
        else:
            lines.append(tr._("No contact recorded."))
        alerts = await session.scalars(
            select(Alert)
            .where(Alert.case_id == case.id, Alert.raised_at >= start, Alert.raised_at < end)
            .order_by(Alert.raised_at)
        )
        for alert in alerts:
            lines.append(await _alert_line(tr, session, alert))
        changes = await session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.subject == case.code,
                AuditEvent.action.in_(("case.phase", "case.evaluation")),
                AuditEvent.outcome == "changed",
                AuditEvent.at >= start,
                AuditEvent.at < end,
            )
            .order_by(AuditEvent.at)
        )
        for event in changes:
            if event.action == "case.phase":
                # The audit detail reads "before -> after".
                after = (event.detail or "").split("->")[-1].strip()
                phase = Phase(after) if after in {p.value for p in Phase} else case.phase
                lines.append(tr._("Phase changed to %(phase)s.", phase=tr._(PHASE_NAMES[phase])))
            else:
                lines.append(tr._("Evaluation date changed."))
    return Text(split_message("\n".join(lines)))


async def cover_ended(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    absence = await session.get(AbsenceRecord, row.payload["absence_id"])
    if absence is None:
        return Obsolete("gone")
    own = await session.get(Coach, absence.coach_id)
    codes = list(
        await session.scalars(
            select(Case.code)
            .join(CaseCover, CaseCover.case_id == Case.id)
            .where(
                CaseCover.absence_id == absence.id,
                CaseCover.coach_id == row.coach_id,
                CaseCover.status == CoverStatus.RELEASED,
            )
            .order_by(Case.code)
        )
    )
    if not codes or own is None:
        return Obsolete("covered nothing")
    return Text(
        [
            tr._(
                "%(name)s is back. Your cover of %(codes)s has ended. Thank you for standing in!",
                name=own.name,
                codes=", ".join(codes),
            )
        ]
    )


async def absence_briefing(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    absence = await session.get(AbsenceRecord, row.payload["absence_id"])
    if absence is None or absence.start <= now:
        return Obsolete("started or gone")
    lines = [
        tr._(
            "You are %(kind)s %(period)s. Please brief your back-ups before you go:",
            kind=tr._(KIND_NAMES[absence.kind]),
            period=period(tr, config, absence),
        )
    ]
    for case in await candidates.families(session, config, absence.coach_id, now):
        cover = await candidates.live_cover(session, absence.id, case.id)
        who = await session.get(Coach, cover.coach_id) if cover else None
        if cover is not None and cover.status == CoverStatus.ACCEPTED and who is not None:
            lines.append(tr._("%(code)s: %(name)s", code=case.code, name=who.name))
        elif cover is not None and who is not None:
            lines.append(
                tr._("%(code)s: asked %(name)s, no answer yet", code=case.code, name=who.name)
            )
        else:
            lines.append(tr._("%(code)s: nobody yet", code=case.code))
    return Text(split_message("\n".join(lines)))


RENDERERS: dict[str, Render] = {
    backup_round.REQUEST_KIND: cover_request,
    backup_round.UNCOVERED_KIND: backup_uncovered,
    backup_round.ASSIGNED_KIND: cover_assigned,
    backup_round.SUMMARY_KIND: absence_summary,
    backup_round.THANKS_KIND: cover_ended,
    backup_round.BRIEFING_KIND: absence_briefing,
}
