"""Close matches for a case code the bot does not know ("did you mean ALM-0417?"), offered
only as far as the need-to-know rules let the asker see that a family exists: a partner is
offered none."""

from __future__ import annotations

from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Case, Coach
from bot.services.cases.access import Visibility, relations_of, visibility

# A one-character typo or two swapped digits in a code of six or more characters scores
# above this; codes that merely share a prefix ("GZ-" against "ALM-") stay well below it.
CUTOFF = 0.75
MAX_SUGGESTIONS = 3


def _may_know_of(viewer: Coach, case: Case) -> bool:
    return visibility(viewer, relations_of(viewer, case)) is not Visibility.NOTHING


async def close_codes(session: AsyncSession, viewer: Coach, code: str) -> list[str]:
    """Up to MAX_SUGGESTIONS stored codes closest to `code`, best first, that `viewer` may
    know of."""
    # Asked of a partner's role alone first: a partner is never offered a code.
    if not _may_know_of(viewer, Case(code="", coach_id=None, backup_coach_id=None)):
        return []
    wanted = code.upper()
    scored = []
    for case in await session.scalars(select(Case)):
        score = SequenceMatcher(None, wanted, case.code.upper()).ratio()
        if score >= CUTOFF and _may_know_of(viewer, case):
            scored.append((-score, case.code))
    return [found for _, found in sorted(scored)[:MAX_SUGGESTIONS]]
