"""Need-to-know: the one place that decides what a user may see of a family's case.

The decision is a pure function of the viewer's relations to the case, so it can be tested
without a database; `relations_to` loads those relations with at most two small queries.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Alert,
    AlertRecipient,
    AlertStatus,
    Case,
    CaseCover,
    Coach,
    CoverStatus,
    Role,
)


class Relation(enum.StrEnum):
    OWN = "own"  # the family's coach
    BACKUP = "backup"  # the family's fixed backup coach
    COVERING = "covering"  # covers the family during its coach's absence
    ALERT_HANDLER = "alert_handler"  # took, or was sent, a crisis alert still in progress
    TEAM_LEAD = "team_lead"
    OTHER_COACH = "other_coach"  # a colleague with no part in this family
    PARTNER = "partner"  # wijkcoach, Veilig Thuis, police: may raise alerts, sees nothing


class Visibility(enum.StrEnum):
    FULL = "full"  # the whole card
    CONTACT_ONLY = "contact_only"  # only whom to contact: coach, backup, who is on duty
    NOTHING = "nothing"


FULL_RELATIONS = frozenset(
    {Relation.OWN, Relation.BACKUP, Relation.COVERING, Relation.ALERT_HANDLER, Relation.TEAM_LEAD}
)
TEAM_ROLES = frozenset({Role.COACH, Role.TEAMLEAD, Role.ADMIN})


def relations_of(
    viewer: Coach, case: Case, *, covering: bool = False, handling_alert: bool = False
) -> frozenset[Relation]:
    """The viewer's relations to the case, given the two facts that need the database."""
    if viewer.role is Role.PARTNER:
        # A partner who is somehow also named on a case still sees nothing: the role decides.
        return frozenset({Relation.PARTNER})
    found: set[Relation] = set()
    if case.coach_id is not None and case.coach_id == viewer.id:
        found.add(Relation.OWN)
    if case.backup_coach_id is not None and case.backup_coach_id == viewer.id:
        found.add(Relation.BACKUP)
    if covering:
        found.add(Relation.COVERING)
    if handling_alert:
        found.add(Relation.ALERT_HANDLER)
    if viewer.role in (Role.TEAMLEAD, Role.ADMIN):
        found.add(Relation.TEAM_LEAD)
    return frozenset(found or {Relation.OTHER_COACH})


def visibility(viewer: Coach, relations: Iterable[Relation]) -> Visibility:
    """What the viewer may see, from their relations. Deactivated members see nothing."""
    relations = frozenset(relations)
    if not viewer.active or viewer.role not in TEAM_ROLES or Relation.PARTNER in relations:
        return Visibility.NOTHING
    if relations & FULL_RELATIONS:
        return Visibility.FULL
    return Visibility.CONTACT_ONLY


def covering_clause(case_id: object, coach_id: object) -> ColumnElement[bool]:
    """A coach covers a family while their accepted cover has not been released."""
    return and_(
        CaseCover.case_id == case_id,
        CaseCover.coach_id == coach_id,
        CaseCover.status == CoverStatus.ACCEPTED,
        CaseCover.released_at.is_(None),
    )


def _handling_alert_clause(case_id: int, coach_id: int) -> ColumnElement[bool]:
    """The coach took an alert for the family that is not resolved yet, or an open alert was
    sent to them and they have not said they can't."""
    taken = exists().where(
        Alert.case_id == case_id,
        Alert.status == AlertStatus.TAKEN,
        Alert.taken_by_id == coach_id,
    )
    alerted = exists().where(
        Alert.case_id == case_id,
        Alert.status == AlertStatus.OPEN,
        AlertRecipient.alert_id == Alert.id,
        AlertRecipient.coach_id == coach_id,
        AlertRecipient.declined_at.is_(None),
    )
    return or_(taken, alerted)


async def relations_to(
    session: AsyncSession,
    viewer: Coach,
    case: Case,
    now: datetime,
    *,
    covering_ids: Collection[int] | None = None,
) -> frozenset[Relation]:
    """The viewer's relations to the case at `now`. Partners and deactivated members cost no
    query. A caller that already loaded the family's covering coaches passes their ids; then
    the alert question is only asked when nothing else gives the full card (so ALERT_HANDLER
    may be missing next to OWN, which changes nothing). Otherwise one query asks both."""
    if viewer.role is Role.PARTNER or not viewer.active:
        return relations_of(viewer, case)
    if covering_ids is not None:
        covering = viewer.id in covering_ids
        known = relations_of(viewer, case, covering=covering)
        if known & FULL_RELATIONS:
            return known
        handling = await session.scalar(select(_handling_alert_clause(case.id, viewer.id)))
        return relations_of(viewer, case, covering=covering, handling_alert=bool(handling))
    row = (
        await session.execute(
            select(
                exists().where(covering_clause(case.id, viewer.id)),
                _handling_alert_clause(case.id, viewer.id),
            )
        )
    ).one()
    return relations_of(viewer, case, covering=bool(row[0]), handling_alert=bool(row[1]))


async def visibility_for(
    session: AsyncSession, viewer: Coach, case: Case, now: datetime
) -> tuple[Visibility, frozenset[Relation]]:
    relations = await relations_to(session, viewer, case, now)
    return visibility(viewer, relations), relations
