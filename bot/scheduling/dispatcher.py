"""Sends the outbox rows that are due, one claim at a time, and settles each row."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.application_type import TeamBot
from bot.models import Alert, AlertStatus, Coach, OutboxMessage, OutboxStatus
from bot.runtime import Runtime
from bot.scheduling import outbox, second_channel
from bot.scheduling.notices import Edit, Obsolete, Probe, Text
from bot.scheduling.planner import Planner
from bot.scheduling.renderers import RENDERERS
from bot.services.alerts import second_channel as fallbacks
from bot.services.alerts.lifecycle import recipient_unreachable
from bot.services.alerts.messages import ALERT_KIND, edit_message
from bot.services.audit import trail as audit
from bot.services.team.coaches import team_leads
from bot.transport.rate_limit import URGENT

log = logging.getLogger(__name__)
# Rounds of claiming per tick: enough for follow-ups, bounded against a runaway loop.
MAX_ROUNDS = 5
# Sends in flight at once: a burst of escalations goes out at the rate limiter's pace instead
# of one round trip after the other. Each send has its own session and transaction.
CONCURRENT_SENDS = 8
# Seconds a send's commit waits for its turn (see _turn).
TURN_WAIT = 0.05
_RELEASE = (
    update(OutboxMessage)
    .where(
        OutboxMessage.id.in_(bindparam("ids", expanding=True)),
        OutboxMessage.status == OutboxStatus.SENDING,
    )
    .values(status=OutboxStatus.PENDING)
    .execution_options(synchronize_session=False)
)
# Read once a message is marked sent; locks the alert's row on PostgreSQL (see _closed_meanwhile).
_ALERT_STATUS = select(Alert.status).where(Alert.id == bindparam("id")).with_for_update()


class Unreachable(Exception):
    """The recipient cannot get messages from the bot (never started it, blocked it, or has
    no Telegram account linked)."""


async def dispatch_due(bot: TeamBot, runtime: Runtime) -> int:
    """Sends everything due now, including what sending adds (an unreachable coach's report
    goes out in the same tick); returns how many rows were handled."""
    handled = 0
    for _ in range(MAX_ROUNDS):
        now = runtime.clock.now()
        async with runtime.sessionmaker() as session:
            claimed = await outbox.claim_due(session, now)
            await session.commit()
        if not claimed:
            break
        await _deliver_all(bot, runtime, claimed)
        handled += len(claimed)
    return handled


async def send_claimed(
    bot: TeamBot, runtime: Runtime, session: AsyncSession, rows: Iterable[OutboxMessage]
) -> None:
    """Sends messages the caller stored already claimed and committed (a new crisis alert's
    first step), in the caller's session: the rows as stored, and what the caller loaded to
    decide the recipients (still referenced, so still in the session) for rendering, so the
    first alert goes out with the fewest round trips. They go ahead of any other message
    waiting for Telegram's rate limit: nobody has been alerted to this crisis yet."""
    waiting = [row.id for row in rows]
    for row in rows:
        try:
            await _send_row(bot, runtime, session, row, urgent=True)
            await _closed_meanwhile(session, row, runtime.clock.now())
            await session.commit()
            waiting.remove(row.id)
        except Exception:
            # Stored already: whatever went wrong here, the dispatcher sends the rest, and the
            # caller (who has told nobody yet) is not made to report a failure.
            log.exception("sending a new alert's messages failed; the dispatcher retries them")
            await session.rollback()
            await session.execute(_RELEASE, {"ids": waiting})
            await session.commit()
            return


async def _deliver_all(bot: TeamBot, runtime: Runtime, rows: list[OutboxMessage]) -> None:
    gate = asyncio.Semaphore(CONCURRENT_SENDS)
    turns = asyncio.Lock()

    async def one(row: OutboxMessage) -> None:
        async with gate:
            await _deliver(bot, runtime, row, turns)

    await asyncio.gather(*(one(row) for row in rows))


async def _deliver(
    bot: TeamBot, runtime: Runtime, claimed: OutboxMessage, turns: asyncio.Lock
) -> None:
    async with runtime.sessionmaker() as session:
        # As claimed and committed: no need to read it again.
        row = await session.merge(claimed, load=False)
        await _send_row(bot, runtime, session, row)
        async with _turn(turns):
            await _closed_meanwhile(session, row, runtime.clock.now())
            await session.commit()


@asynccontextmanager
async def _turn(turns: asyncio.Lock) -> AsyncIterator[None]:
    """The sends overlap; their commits take turns. Writers that meet on SQLite wait in its
    busy handler, which sleeps 1, 2, 5, 10 … 25 ms between tries: eight commits at once kept
    each other, and a new crisis being stored, waiting up to 80 ms. A send that already wrote
    (reporting a coach unreachable) may hold the database lock that the one whose turn it is
    needs, so a turn is waited for only briefly, never into a deadlock."""
    mine = False
    try:
        async with asyncio.timeout(TURN_WAIT):
            mine = await turns.acquire()
    except TimeoutError:
        pass
    try:
        yield
    finally:
        if mine:
            turns.release()


async def _send_row(
    bot: TeamBot,
    runtime: Runtime,
    session: AsyncSession,
    row: OutboxMessage,
    urgent: bool = False,
) -> None:
    """Renders and sends one claimed row and settles it in the session; the caller commits."""
    if row.status != OutboxStatus.SENDING:
        return
    now = runtime.clock.now()
    row_id = row.id
    coach = await session.get(Coach, row.coach_id) if row.coach_id is not None else None
    tr = runtime.translator(coach.language if coach else None)
    try:
        if row.kind == fallbacks.KIND:
            # Not Telegram: the second channel (Apprise), with its own retries.
            await second_channel.deliver(session, runtime, row, coach, tr, now)
            return
        outcome = await RENDERERS[row.kind](session, runtime.config, row, tr, now)
        if isinstance(outcome, Obsolete):
            outbox.mark_obsolete(row, outcome.reason)
        else:
            chat_id = _chat_of(row, coach)
            if isinstance(outcome, Probe):
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
                outbox.mark_sent(row, now, None)
            elif isinstance(outcome, Edit):
                await _edit(bot, chat_id, outcome)
                outbox.mark_sent(row, now, outcome.message_id)
            else:
                message_id = await _send(bot, chat_id, outcome, urgent)
                outbox.mark_sent(row, now, message_id)
                if row.kind == "alert":
                    audit.record(
                        session,
                        at=now,
                        action="alert.sent",
                        outcome="delivered",
                        subject=str(row.payload.get("alert_id")),
                        actor=coach,
                        detail=row.key,
                    )
    except (Unreachable, Forbidden) as exc:
        outbox.mark_failed(row, f"unreachable: {exc}")
        if coach is not None and "duty" in row.payload:
            await _report_unreachable(session, runtime, row, coach, now)
        if row.kind == "alert":
            # The second channel first: escalating may close this step.
            await fallbacks.telegram_failed(session, runtime.config, row, fallbacks.REFUSED, now)
            await recipient_unreachable(session, runtime.config, row.key, now)
    except RetryAfter as exc:
        # Telegram's flood control: wait as long as it says; not a failure of this message.
        wait = exc.retry_after
        outbox.throttled(
            row,
            now,
            f"retry after {wait}",
            wait if isinstance(wait, timedelta) else timedelta(seconds=wait),
        )
    except BadRequest as exc:
        log.error("outbox %s (%s) refused: %s", row_id, row.kind, exc)
        outbox.mark_failed(row, str(exc))
    except (NetworkError, TelegramError) as exc:
        outbox.retry_later(row, now, str(exc))
        if row.kind == "alert":
            await fallbacks.telegram_failed(session, runtime.config, row, fallbacks.FAILING, now)
    except Exception:
        # A bug in one notice must not hold up the rest, nor leave the row 'sending'.
        log.exception("outbox %s failed", row_id)
        await session.rollback()
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(status=OutboxStatus.FAILED, last_error="internal error, see the log")
        )


async def _closed_meanwhile(session: AsyncSession, row: OutboxMessage, now: datetime) -> None:
    """An alert message that went out while the alert was taken (or given up) still shows
    its buttons: queue its edit. The row is written as sent before the alert's state is read,
    and a take writes the alert before it reads which messages were sent, so one of the two
    always sees the other: on PostgreSQL the alert's row lock orders them, on SQLite the one
    write lock does."""
    if row.kind != ALERT_KIND or row.status != OutboxStatus.SENT or row.message_id is None:
        return
    if row.coach_id is None:  # an alert message always goes to a coach
        return
    await session.flush()
    alert_id = row.payload["alert_id"]
    status = await session.scalar(_ALERT_STATUS, {"id": alert_id})
    if status is not None and status != AlertStatus.OPEN:
        await outbox.enqueue_all(session, [edit_message(alert_id, row.key, row.coach_id, now)])


def _chat_of(row: OutboxMessage, coach: Coach | None) -> int:
    if row.chat_id is not None:
        return row.chat_id
    if coach is None or coach.telegram_user_id is None or not coach.active:
        raise Unreachable("no linked Telegram account")
    return coach.telegram_user_id


async def _send(bot: TeamBot, chat_id: int, text: Text, urgent: bool) -> int:
    message_id = 0
    priority = URGENT if urgent else None
    for number, part in enumerate(text.parts, start=1):
        markup = None
        if text.buttons and number == len(text.parts):
            markup = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                    for row in text.buttons
                ]
            )
        message = await bot.send_message(
            chat_id, part, reply_markup=markup, rate_limit_args=priority
        )
        message_id = message.message_id
    return message_id


async def _edit(bot: TeamBot, chat_id: int, edit: Edit) -> None:
    try:
        await bot.edit_message_text(edit.text, chat_id=chat_id, message_id=edit.message_id)
    except BadRequest as exc:
        # Already as it should be (an earlier try reached Telegram, its answer did not).
        if "not modified" not in str(exc).lower():
            raise


async def _report_unreachable(
    session: AsyncSession, runtime: Runtime, row: OutboxMessage, coach: Coach, now: datetime
) -> None:
    """A coach about to hold a duty cannot be reached: the team leads must know before the
    shift starts, because crisis alerts would not reach that coach either."""
    if row.kind == "unreachable":
        return  # the lead being told about someone else is the unreachable one: logged only
    planner = Planner(session, runtime.config, now)
    about = {k: row.payload[k] for k in ("duty", "start", "end")}
    leads = [lead for lead in await team_leads(session) if lead.id != coach.id]
    await planner.unreachable(leads, coach.name, about, "blocked")
