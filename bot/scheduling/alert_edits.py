"""Outbox messages that bring alert messages up to date, and the reporter's receipt.

An alert card on someone's screen must end up saying what is true now: taken (by whom),
unanswered, or declined by that person. Such an edit is an outbox row like any other, so it
is retried until Telegram has it, and it is worded when it is sent: whatever happened in
between, the last edit shows the alert's state at that moment."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.team import TeamConfig
from bot.i18n import N_, Translator
from bot.models import Alert, AlertRecipient, AlertStatus, Coach, OutboxMessage, OutboxStatus
from bot.scheduling.alert_notices import _alert_and_case, card_facts
from bot.scheduling.notices import Edit, Obsolete, Outcome, Render, Text
from bot.services.alerts.messages import EDIT_KIND, RECEIPT_KIND
from bot.services.cases.suggestions import close_codes
from bot.texts.alerts import card, taken_line
from bot.texts.crisis_receipt import joined_receipt, receipt

UNANSWERED = N_("⏱ Nobody took this alert in time; the team lead has been told.")
DECLINED = N_("You said you can't; the alert went on to the next person.")
# A receipt Telegram would not take for this long is no news any more.
RECEIPT_MAX_AGE = timedelta(hours=1)

_SHOWN = select(OutboxMessage).where(OutboxMessage.key == bindparam("key"))
_DECLINED = select(AlertRecipient.declined_at).where(AlertRecipient.outbox_key == bindparam("key"))


async def alert_edit(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    alert, _case = await _alert_and_case(session, row.payload["alert_id"])
    shown = await session.scalar(_SHOWN, {"key": row.payload["of"]})
    if alert is None or shown is None or shown.status != OutboxStatus.SENT:
        return Obsolete("never shown")
    if shown.message_id is None:
        return Obsolete("never shown")
    if alert.status in (AlertStatus.TAKEN, AlertStatus.RESOLVED) and alert.taken_by_id:
        taker = await session.get(Coach, alert.taken_by_id)
        line = taken_line(tr, taker.name if taker else "?", alert)
    elif alert.status == AlertStatus.UNANSWERED:
        line = tr._(UNANSWERED)
    elif await session.scalar(_DECLINED, {"key": shown.key}) is not None:
        line = tr._(DECLINED)
    else:
        return Obsolete("still open for them")
    facts = await card_facts(session, alert, now)
    return Edit(card(tr, alert, facts) + "\n\n" + line, shown.message_id)


async def alert_receipt(
    session: AsyncSession, config: TeamConfig, row: OutboxMessage, tr: Translator, now: datetime
) -> Outcome:
    """Worded when sent, from the alert as stored and what the reporter sent (the payload):
    the codes close to an unknown one are looked up here, after the alert itself went out,
    not on its way there."""
    if now - row.created_at > RECEIPT_MAX_AGE:
        return Obsolete("too late to be news")
    payload = row.payload
    if "parts" in payload:  # worded by the handler, before receipts were worded here
        return Text(list(payload["parts"]))
    # Both are in the session's identity map when the handler that stored them sends them.
    alert = await session.get(Alert, payload["alert_id"])
    reporter = await session.get(Coach, row.coach_id) if row.coach_id is not None else None
    if alert is None or reporter is None:
        return Obsolete("alert or reporter gone")
    if payload.get("joined"):
        return Text([joined_receipt(tr, alert)])
    unknown = alert.case_id is None
    suggestions = await close_codes(session, reporter, alert.case_code) if unknown else []
    return Text([receipt(tr, alert, payload["length"], suggestions)])


RENDERERS: dict[str, Render] = {EDIT_KIND: alert_edit, RECEIPT_KIND: alert_receipt}
