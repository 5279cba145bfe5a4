"""Sends a stored second-channel fallback (bot/services/alerts/second_channel.py) through
Apprise, and settles its row. The message carries the case code, who raised the alert, a
number to call back and how to take it in Telegram: never the alert's text or any other case
detail, because e-mail and SMS leave the municipality's hands."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.second_channel import channel_id, scheme
from bot.config.team import TeamConfig
from bot.i18n import Translator
from bot.models import ALERT_SAFETY, Alert, AlertStatus, Coach, OutboxMessage
from bot.runtime import Runtime
from bot.scheduling import outbox
from bot.services.audit import trail as audit
from bot.texts.alerts import TAKE
from bot.texts.roster import WHEN
from bot.transport import second_channel as transport


def _configured(config: TeamConfig) -> dict[str, str]:
    second = config.second_channel
    urls = [u for own in (*second.members.values(), *second.duties.values()) for u in own]
    return {channel_id(url): url for url in urls}


def wording(tr: Translator, alert: Alert, reporter: Coach | None) -> tuple[str, str]:
    """(title, body) in the recipient's language."""
    name = reporter.name if reporter else "?"
    phone = (reporter.phone if reporter else None) or tr._("not known")
    if alert.kind == ALERT_SAFETY:
        return tr._("🆘 Safety alert: %(name)s", name=name), "\n".join(
            [
                tr._(
                    "%(name)s is on a home visit and did not check out in time, or asked "
                    "for help. Nobody has taken the alert yet.",
                    name=name,
                ),
                tr._("Call them now: %(phone)s. No answer and danger? Call 112.", phone=phone),
                tr._(
                    "Take it in Telegram: open your chat with the bot and press “%(take)s”.",
                    take=tr._(TAKE),
                ),
            ]
        )
    return tr._("🚨 Crisis alert %(code)s", code=alert.case_code), "\n".join(
        [
            tr._(
                "Crisis alert %(code)s was raised by %(name)s at %(when)s and nobody has "
                "taken it yet.",
                code=alert.case_code,
                name=name,
                when=tr.datetime(alert.raised_at, WHEN),
            ),
            tr._("Call back: %(phone)s", phone=phone),
            tr._(
                "Take it in Telegram: open your chat with the bot and press “%(take)s” on "
                "the alert (blocked the bot? Unblock it and send /alerts). The family's "
                "details are only in Telegram.",
                take=tr._(TAKE),
            ),
        ]
    )


async def deliver(
    session: AsyncSession,
    runtime: Runtime,
    row: OutboxMessage,
    coach: Coach | None,
    tr: Translator,
    now: datetime,
) -> None:
    """Sends to each destination not reached yet; the row is sent when all were reached and
    retried (fast, as an urgent message) for the rest. The caller commits."""
    alert = await session.get(Alert, row.payload["alert_id"])
    if alert is None or alert.status != AlertStatus.OPEN or coach is None:
        outbox.mark_obsolete(row, "the alert is no longer open")
        return
    reporter = await session.get(Coach, alert.reporter_id)
    title, body = wording(tr, alert, reporter)
    known = _configured(runtime.config)
    done = list(row.payload.get("done", []))
    results = []
    # Everything read first: no write (no database lock) is held while Apprise sends.
    for channel in row.payload["to"]:
        if channel in done:
            continue
        url = known.get(channel)
        if url is None:
            done.append(channel)  # taken out of the config since: nowhere to send it
            continue
        sent = await transport.send(url, title, body)
        results.append((scheme(url), sent))
        if sent:
            done.append(channel)
    for by, sent in results:
        audit.record(
            session,
            at=now,
            action="alert.second_channel",
            outcome="sent" if sent else "failed",
            actor=coach,
            subject=alert.case_code,
            detail=f"alert {alert.id} by {by} ({row.payload.get('why')})",
        )
    row.payload = {**row.payload, "done": done}
    if all(channel in done for channel in row.payload["to"]):
        outbox.mark_sent(row, now, None)
    else:
        outbox.retry_later(row, now, "a second-channel destination did not accept it")
