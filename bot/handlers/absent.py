"""/absent: report an absence. In one line (`/absent sick`, `/absent leave 21-12 03-01`, a
team lead: `/absent Name leave ...`) or guided with buttons: kind, from, until, confirm."""

from __future__ import annotations

import warnings
from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.handlers.context import AchtervangContext
from bot.handlers.replies import drop_buttons
from bot.handlers.required import data_of, message_of, present, query_of, text_of
from bot.handlers.swap import post_offer
from bot.i18n import N_, Translator
from bot.models import AbsenceKind, AbsenceRecord, Coach
from bot.scheduling.backup_notices import KIND_NAMES
from bot.scheduling.dispatcher import dispatch_due
from bot.services.absence import backup_round, candidates
from bot.services.absence import reporting as absences
from bot.services.absence.reporting import Problem, Refusal, Request
from bot.services.quiet_hours import send_time
from bot.services.rosters import swaps
from bot.services.rosters.input import parse_day
from bot.texts.roster import DAY, WHEN
from bot.texts.split import excerpt

CHOOSE, TYPE_FROM, TYPE_UNTIL = range(3)
_KEY = "absent"
_PREFIX = "absent:"
KIND_LABELS = {
    AbsenceKind.SICK: N_("Sick"),
    AbsenceKind.LEAVE: N_("Leave"),
    AbsenceKind.TRAINING: N_("Training"),
    AbsenceKind.OTHER: N_("Other"),
}


def _markup(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def period_text(tr: Translator, first: date, last: date | None) -> str:
    if last is None:
        return tr._("from %(first)s until further notice", first=tr.date(first, DAY))
    return tr._("from %(first)s until %(last)s", first=tr.date(first, DAY), last=tr.date(last, DAY))


def refusal_text(tr: Translator, refusal: Refusal) -> str:
    if refusal.problem is Problem.OVERLAP and refusal.other is not None:
        other = refusal.other
        return tr._(
            "That overlaps an absence already reported (%(kind)s, %(period)s). Nothing was "
            "changed. Use /back to end an absence early.",
            kind=tr._(KIND_NAMES[other.kind]),
            period=_record_period(tr, other),
        )
    texts = {
        Problem.USAGE: N_(
            "Use: /absent sick, or /absent leave 21-12 03-01 (first and last day). "
            "/absent alone asks step by step."
        ),
        Problem.BAD_DATE: N_(
            "'%(detail)s' is not a date. Use for example 21-12, 21-12-2026 or 2026-12-21. "
            "Nothing was changed."
        ),
        Problem.UNTIL_BEFORE_FROM: N_("The last day is before the first day. Nothing was changed."),
        Problem.OPEN_NOT_SICK: N_(
            "Only sickness can be open-ended. Give a last day. Nothing was changed."
        ),
        Problem.PAST: N_("That absence is entirely in the past. Nothing was changed."),
        Problem.NOT_LEAD: N_(
            "Only a team lead can report an absence for someone else. Nothing was changed."
        ),
        Problem.UNKNOWN_COACH: N_("I don't know a team member called '%(detail)s'."),
        Problem.AMBIGUOUS_COACH: N_("'%(detail)s' could be %(candidates)s. Use the full name."),
        Problem.NOT_ABSENT: N_("There is no absence going on now to end."),
    }
    return tr._(
        texts[refusal.problem],
        detail=excerpt(refusal.detail),
        candidates=", ".join(refusal.candidates),
    )


def _record_period(tr: Translator, record: AbsenceRecord) -> str:
    tz = tr.tz
    first = record.start.astimezone(tz).date()
    last = None
    if record.end is not None:
        last = (record.end - timedelta(microseconds=1)).astimezone(tz).date()
    return period_text(tr, first, last)


async def absent(update: Update, context: AchtervangContext) -> int:
    runtime, tr, actor = context.runtime, context.tr, context.member
    words = context.args or []
    today = runtime.config.local_date(runtime.clock.now())
    parsed = absences.parse_request(words, today) if words else Refusal(Problem.USAGE)
    if isinstance(parsed, Refusal) and parsed.problem is not Problem.USAGE:
        await message_of(update).reply_text(refusal_text(tr, parsed))
        return ConversationHandler.END
    name = parsed.name if isinstance(parsed, Request) else (" ".join(words) or None)
    if isinstance(parsed, Refusal) and parsed.problem is Problem.USAGE and words:
        if actor.role not in absences.LEAD_ROLES:
            await message_of(update).reply_text(refusal_text(tr, parsed))
            return ConversationHandler.END
    async with runtime.sessionmaker() as session:
        subject = await absences.resolve_subject(session, actor, name)
    if isinstance(subject, Refusal):
        await message_of(update).reply_text(refusal_text(tr, subject))
        return ConversationHandler.END
    if isinstance(parsed, Request):
        await _save(update, context, subject, parsed)
        return ConversationHandler.END
    # Guided: the answers so far live in user_data until confirmed.
    context.user_state[_KEY] = {"coach_id": subject.id, "name": subject.name}
    question = (
        tr._("What kind of absence?")
        if subject.id == actor.id
        else tr._("What kind of absence for %(name)s?", name=subject.name)
    )
    kinds = [(tr._(KIND_LABELS[k]), f"{_PREFIX}kind:{k.value}") for k in AbsenceKind]
    await message_of(update).reply_text(question, reply_markup=_markup([kinds[:2], kinds[2:]]))
    return CHOOSE


async def chosen(update: Update, context: AchtervangContext) -> int:
    query = query_of(update)
    tr, runtime = context.tr, context.runtime
    state = context.user_state.get(_KEY)
    await query.answer()
    if state is None:
        await drop_buttons(query)
        return ConversationHandler.END
    _, step, value = [*data_of(query).split(":"), "", ""][:3]
    today = runtime.config.local_date(runtime.clock.now())
    if step == "kind" and value in {k.value for k in AbsenceKind}:
        state["kind"] = value
        await query.edit_message_text(
            tr._("From when?"),
            reply_markup=_markup(
                [
                    [
                        (tr._("Today"), f"{_PREFIX}from:today"),
                        (tr._("Tomorrow"), f"{_PREFIX}from:tomorrow"),
                    ],
                    [(tr._("Another date"), f"{_PREFIX}from:type")],
                ]
            ),
        )
        return CHOOSE
    if step == "from":
        if value == "type":
            await query.edit_message_text(
                tr._("Send the first day, for example 21-12 or 2026-12-21. /cancel stops.")
            )
            return TYPE_FROM
        state["first"] = (today + timedelta(days=1 if value == "tomorrow" else 0)).isoformat()
        await _ask_until(query.edit_message_text, tr, state)
        return CHOOSE
    if step == "until":
        if value == "type":
            await query.edit_message_text(
                tr._("Send the last day, for example 03-01 or 2027-01-03. /cancel stops.")
            )
            return TYPE_UNTIL
        state["last"] = None if value == "open" else state["first"]
        await _confirm(query.edit_message_text, tr, state)
        return CHOOSE
    if step == "ok" and "first" in state:
        context.user_state.pop(_KEY, None)
        await drop_buttons(query)
        async with runtime.sessionmaker() as session:
            subject = present(await session.get(Coach, state["coach_id"]), "the absent coach")
        request = Request(
            AbsenceKind(state["kind"]),
            date.fromisoformat(state["first"]),
            date.fromisoformat(state["last"]) if state.get("last") else None,
        )
        await _save(update, context, subject, request)
        return ConversationHandler.END
    context.user_state.pop(_KEY, None)
    await query.edit_message_text(tr._("Stopped. Nothing was reported."))
    return ConversationHandler.END


async def _ask_until(send, tr: Translator, state: dict) -> None:
    rows = [[(tr._("Only that day"), f"{_PREFIX}until:same")]]
    if state["kind"] == AbsenceKind.SICK.value:
        rows.insert(0, [(tr._("Open: until I report back"), f"{_PREFIX}until:open")])
    rows.append([(tr._("Another date"), f"{_PREFIX}until:type")])
    await send(tr._("Until when (the last day)?"), reply_markup=_markup(rows))


async def _confirm(send, tr: Translator, state: dict) -> None:
    first = date.fromisoformat(state["first"])
    last = date.fromisoformat(state["last"]) if state.get("last") else None
    await send(
        tr._(
            "%(name)s: %(kind)s %(period)s. Is that right?",
            name=state["name"],
            kind=tr._(KIND_NAMES[AbsenceKind(state["kind"])]),
            period=period_text(tr, first, last),
        ),
        reply_markup=_markup(
            [[(tr._("Confirm"), f"{_PREFIX}ok:"), (tr._("Cancel"), f"{_PREFIX}no:")]]
        ),
    )


async def typed(update: Update, context: AchtervangContext) -> int:
    """A typed first or last day, depending on which was asked."""
    runtime, tr = context.runtime, context.tr
    state = context.user_state.get(_KEY)
    if state is None:
        return ConversationHandler.END
    text = text_of(message_of(update)).strip()
    day = parse_day(text, runtime.config.local_date(runtime.clock.now()))
    if day is None:
        await message_of(update).reply_text(
            tr._(
                "'%(detail)s' is not a date. Use for example 21-12, 21-12-2026 or 2026-12-21. "
                "Nothing was changed.",
                detail=text[:40],
            )
        )
        return TYPE_UNTIL if "first" in state else TYPE_FROM
    send = message_of(update).reply_text
    if "first" not in state:
        state["first"] = day.isoformat()
        await _ask_until(send, tr, state)
    else:
        state["last"] = day.isoformat()
        await _confirm(send, tr, state)
    return CHOOSE


async def cancel(update: Update, context: AchtervangContext) -> int:
    context.user_state.pop(_KEY, None)
    await message_of(update).reply_text(context.tr._("Stopped. Nothing was reported."))
    return ConversationHandler.END


async def _save(
    update: Update, context: AchtervangContext, subject: Coach, request: Request
) -> None:
    runtime, tr, actor = context.runtime, context.tr, context.member
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        result = await absences.report(
            session, runtime.config, actor=actor, coach=subject, request=request, now=now
        )
        if isinstance(result, Refusal):
            text = refusal_text(tr, result)  # before the rollback expires what it names
            await session.rollback()
            await message_of(update).reply_text(text)
            return
        await session.commit()
        # The absent coach's coming shifts go to the team group as open offers, committed
        # before they are shown so that a quick colleague's press finds them. Without a group
        # they would be a stream of private messages to everyone: the lead's gap alerts cover
        # that case.
        if runtime.config.team_chat_id is not None:
            offers = await swaps.offer_absent_shifts(session, runtime.config, subject, now)
            await session.commit()
            for offer in offers:
                await post_offer(context, session, subject, offer, absent=True)
            await session.commit()
        asked = len(await backup_round.pending(session, result.id))
        families = len(await candidates.families(session, runtime.config, subject.id, now))
        due = backup_round.round_due(runtime.config, result, now)
        start_day = result.start - timedelta(days=runtime.config.backup.plan_ahead_days)
    lines = [
        tr._(
            "Saved: %(name)s is %(kind)s %(period)s.",
            name=subject.name,
            kind=tr._(KIND_NAMES[request.kind]),
            period=period_text(tr, request.first, request.last),
        )
    ]
    held = send_time(runtime.config, now)
    if not families:
        lines.append(tr._("There are no families that need a back-up."))
    elif due and held > now:
        lines.append(
            tr.n_(
                "I will ask back-ups for %(n)d family at %(when)s, after the quiet hours.",
                "I will ask back-ups for %(n)d families at %(when)s, after the quiet hours.",
                asked,
                when=tr.datetime(held, WHEN),
            )
        )
    elif due:
        lines.append(
            tr.n_(
                "I am asking back-ups for %(n)d family now.",
                "I am asking back-ups for %(n)d families now.",
                asked,
            )
        )
    else:
        lines.append(
            tr._(
                "I will ask back-ups for the families from %(day)s.",
                day=tr.date(start_day.astimezone(runtime.config.tz).date(), DAY),
            )
        )
    await message_of(update).reply_text("\n".join(lines))
    # The requests go out now, not at the next tick.
    await dispatch_due(context.bot, runtime)


_TEXT = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
with warnings.catch_warnings():
    # Buttons are tracked per chat, not per message, on purpose: one report at a time.
    warnings.simplefilter("ignore", PTBUserWarning)
    _CONVERSATION = ConversationHandler(
        entry_points=[CommandHandler("absent", absent)],
        states={
            CHOOSE: [CallbackQueryHandler(chosen, pattern=f"^{_PREFIX}")],
            TYPE_FROM: [MessageHandler(_TEXT, typed)],
            TYPE_UNTIL: [MessageHandler(_TEXT, typed)],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        allow_reentry=True,
        name="absent",
    )

HANDLERS = [_CONVERSATION]
