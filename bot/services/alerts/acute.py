"""Acute safety never waits. Whichever way a family with an acute safety concern is recorded
(/waitlist_add, or `achtervang import waitlist`), this one path raises its crisis alert: stored
with its first step in the outbox, routed and worded as /crisis does, once per time the
family becomes acute (importing the same file again raises nothing)."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.i18n import N_, translator
from bot.models import Alert, Coach, Role
from bot.models.waitlist import WaitlistEntry
from bot.models.waitlist_terms import Concern, EntryStatus
from bot.services.alerts import lifecycle as alerts

log = logging.getLogger(__name__)
ALERT_TEXT = N_("New referral with acute safety concern: intake at once.")
_LIVE = (EntryStatus.REFERRED, EntryStatus.WAITING)


async def acute_codes(session: AsyncSession) -> set[str]:
    """Codes of the live waitlist entries recorded as acute now."""
    found = await session.scalars(
        select(WaitlistEntry.code).where(
            WaitlistEntry.concern == Concern.ACUTE, WaitlistEntry.status.in_(_LIVE)
        )
    )
    return {code.upper() for code in found}


async def _reporter(session: AsyncSession, entry: WaitlistEntry) -> Coach | None:
    """Who an alert raised by an import is from: the team lead, who owns the waitlist; in a
    team without one, the family's contact."""
    lead = await session.scalar(
        select(Coach)
        .where(Coach.role == Role.TEAMLEAD, Coach.active.is_(True))
        .order_by(Coach.id)
        .limit(1)
    )
    if lead is not None or entry.contact_coach_id is None:
        return lead
    return await session.get(Coach, entry.contact_coach_id)


async def raise_alert(
    session: AsyncSession,
    config: TeamConfig,
    entry: WaitlistEntry,
    *,
    reporter: Coach | None,
    now: datetime,
) -> Alert | None:
    """Raises the crisis alert for an entry just recorded as acute; the caller commits. None
    only in a team with nobody to raise it on behalf of (and so nobody to alert)."""
    reporter = reporter or await _reporter(session, entry)
    if reporter is None:
        log.warning("acute waitlist entry %s: no team member to raise its alert", entry.id)
        return None
    tr = translator(reporter.language, config.tz)
    return await alerts.raise_alert(
        session, config, reporter=reporter, code=entry.code, text=tr._(ALERT_TEXT), now=now
    )


async def raise_for_new(
    session: AsyncSession, config: TeamConfig, before: Collection[str], *, now: datetime
) -> list[Alert]:
    """Raises the alert for every live entry that is acute now but was not among `before`
    (acute_codes taken before the change); the caller commits."""
    new = (await acute_codes(session)) - set(before)
    if not new:
        return []
    entries = await session.scalars(
        select(WaitlistEntry)
        .where(WaitlistEntry.status.in_(_LIVE), WaitlistEntry.concern == Concern.ACUTE)
        .order_by(WaitlistEntry.id)
    )
    raised = []
    for entry in entries:
        if entry.code.upper() in new:
            alert = await raise_alert(session, config, entry, reporter=None, now=now)
            if alert is not None:
                raised.append(alert)
    return raised
