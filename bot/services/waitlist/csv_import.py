"""`achtervang import waitlist FILE.csv`: the team's existing waitlist, with the same rules as
the other imports (every row valid or nothing changes; running it twice changes nothing).

Columns: code, referral_date, referrer, complexity (1–5), cost_band (1–4), concern (none,
concern, acute), contact (a team member's name; empty: today's bureaudienst), accepted
(yes/no; empty: yes, the family is on the list already)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo, field_validator
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.i18n import N_
from bot.models import Coach
from bot.models.waitlist import WaitlistEntry
from bot.models.waitlist_terms import Concern, EntryStatus
from bot.services.alerts import acute
from bot.services.cases import holders
from bot.services.imports.cells import (
    _REFERRER_MAX,
    CellError,
    _case_code,
    _context,
    _date_or_none,
    _one_of,
    _Row,
    _text_or_none,
    _whole_or_none,
    _yes_no,
)
from bot.services.imports.coaches import _coaches_by_key
from bot.services.imports.pipeline import ImportReport, _import, _Kind, _Plan
from bot.services.team.coaches import normalise_name
from bot.services.waitlist.store import LIVE, contact_of_the_day


def _required_date(value: str) -> date:
    found = _date_or_none(value)
    if found is None:
        raise CellError(N_("must not be empty"))
    return found


def _level(low: int, high: int) -> BeforeValidator:
    whole = _whole_or_none(low, high).func

    def parse(value: str) -> int:
        # BeforeValidator.func is typed as either validator shape; this one takes the value only.
        found: int | None = whole(value)  # type: ignore[call-arg]
        if found is None:
            raise CellError(N_("must not be empty"))
        return found

    return BeforeValidator(parse)


class WaitlistRow(_Row):
    code: Annotated[str, BeforeValidator(_case_code)]
    referral_date: Annotated[date, BeforeValidator(_required_date)]
    referrer: Annotated[str | None, _text_or_none(_REFERRER_MAX)] = None
    complexity: Annotated[int, _level(1, 5)]
    cost_band: Annotated[int, _level(1, 4)]
    concern: Annotated[Concern, _one_of(Concern, Concern.NONE)] = Concern.NONE
    contact: Coach | None = None
    accepted: Annotated[bool, BeforeValidator(_yes_no)] = True

    @field_validator("contact", mode="before")
    @classmethod
    def _team_member(cls, value: str, info: ValidationInfo) -> Coach | None:
        name = normalise_name(value)
        if not name:
            return None
        coach = _context(info, "coaches").get(name.lower())
        if coach is None:
            raise CellError(N_("unknown coach '%(name)s'"), name=name)
        if not coach.active:
            raise CellError(N_("'%(name)s' is deactivated"), name=coach.name)
        if not holders.may_hold(coach):
            raise CellError(
                N_("'%(name)s' has role %(role)s; only a coach or teamlead can hold a case"),
                name=coach.name,
                role=coach.role.value,
            )
        return coach

    @field_validator("referral_date")
    @classmethod
    def _not_in_future(cls, value: date, info: ValidationInfo) -> date:
        if value > _context(info, "today"):
            raise CellError(N_("%(date)s is in the future"), date=value.isoformat())
        return value


class _WaitlistKind(_Kind[WaitlistRow, WaitlistEntry]):
    action = "import.waitlist"
    row_model = WaitlistRow
    key_column = "code"

    def __init__(self, now: datetime, default_contact: Coach | None) -> None:
        self.now, self.default_contact = now, default_contact

    @staticmethod
    def key(cell: str) -> str:
        return cell.strip().upper()

    async def context(self, session: AsyncSession) -> dict[str, Any]:
        return {"coaches": await _coaches_by_key(session)}

    async def existing(
        self, session: AsyncSession, keys: Collection[str]
    ) -> Mapping[str, WaitlistEntry]:
        if not keys:
            return {}
        entries = await session.scalars(
            select(WaitlistEntry).where(
                func.upper(WaitlistEntry.code).in_(list(keys)), WaitlistEntry.status.in_(LIVE)
            )
        )
        return {self.key(entry.code): entry for entry in entries}

    def plan(
        self, row: WaitlistRow, current: WaitlistEntry | None, columns: frozenset[str]
    ) -> _Plan:
        values: dict[str, Any] = {"code": row.code}
        for column in ("referral_date", "referrer", "complexity", "cost_band", "concern"):
            if column in columns:
                values[column] = getattr(row, column)
        if row.contact is not None:
            values["contact_coach_id"] = row.contact.id
        elif current is None:
            default = self.default_contact
            values["contact_coach_id"] = default.id if default else None
        # A new record is planned with every column.
        concern = row.concern if "concern" in columns or current is None else current.concern
        # Acute safety never waits for the acceptance decision, whatever the file says.
        accepted = row.accepted or concern == Concern.ACUTE
        decides = "accepted" in columns or concern == Concern.ACUTE
        if decides and (current is None or current.status == EntryStatus.REFERRED):
            values["status"] = EntryStatus.WAITING if accepted else EntryStatus.REFERRED
            if accepted:
                values["decided_at"] = (current.decided_at if current else None) or self.now
        return _Plan(values)

    def create(self, values: dict[str, Any]) -> WaitlistEntry:
        return WaitlistEntry(**values, created_at=self.now)


async def import_waitlist(
    session: AsyncSession, text: str, *, config: TeamConfig, now: datetime
) -> ImportReport:
    """Create or update waitlist entries from CSV `text`; contacts must already exist. A family
    that is acute now and was not before raises its crisis alert. The caller commits when the
    report is ok."""
    default_contact = await contact_of_the_day(session, config, now)
    acute_before = await acute.acute_codes(session)
    report = await _import(session, text, _WaitlistKind(now, default_contact), now=now)
    if report.ok:
        await acute.raise_for_new(session, config, acute_before, now=now)
    return report
