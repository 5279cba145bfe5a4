"""The need-to-know decision, per relation, without a database."""

import pytest

from bot.models import Case, Coach, Role
from bot.services.cases.access import Relation, Visibility, relations_of, visibility

OWN, BACKUP, OTHER = 1, 2, 3


def person(coach_id: int, role: Role = Role.COACH, active: bool = True) -> Coach:
    return Coach(id=coach_id, name=f"c{coach_id}", role=role, active=active)


CASE = Case(id=10, code="GZ-1042", coach_id=OWN, backup_coach_id=BACKUP)


@pytest.mark.parametrize(
    ("viewer", "facts", "relation", "seen"),
    [
        (person(OWN), {}, Relation.OWN, Visibility.FULL),
        (person(BACKUP), {}, Relation.BACKUP, Visibility.FULL),
        (person(OTHER), {"covering": True}, Relation.COVERING, Visibility.FULL),
        (person(OTHER), {"handling_alert": True}, Relation.ALERT_HANDLER, Visibility.FULL),
        (person(OTHER, Role.TEAMLEAD), {}, Relation.TEAM_LEAD, Visibility.FULL),
        (person(OTHER, Role.ADMIN), {}, Relation.TEAM_LEAD, Visibility.FULL),
        (person(OTHER), {}, Relation.OTHER_COACH, Visibility.CONTACT_ONLY),
        (person(OTHER, Role.PARTNER), {}, Relation.PARTNER, Visibility.NOTHING),
    ],
)
def test_each_relation_gets_its_card(viewer, facts, relation, seen):
    relations = relations_of(viewer, CASE, **facts)
    assert relation in relations
    assert visibility(viewer, relations) is seen


def test_a_partner_sees_nothing_even_when_alerted_or_named_on_the_case():
    partner = person(OWN, Role.PARTNER)
    relations = relations_of(partner, CASE, covering=True, handling_alert=True)
    assert relations == {Relation.PARTNER}
    assert visibility(partner, relations) is Visibility.NOTHING


def test_a_deactivated_coach_sees_nothing_of_their_own_family():
    gone = person(OWN, active=False)
    assert visibility(gone, relations_of(gone, CASE)) is Visibility.NOTHING


def test_a_family_without_coach_is_no_one_s_own():
    orphan = Case(id=11, code="GZ-2000", coach_id=None, backup_coach_id=None)
    relations = relations_of(person(OTHER), orphan)
    assert relations == {Relation.OTHER_COACH}
