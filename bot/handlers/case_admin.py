"""Team lead tools: /assign CODE coach [backup], /phase CODE phase, /evaluation CODE date.
The decisions are in bot/services/cases/admin.py; here the texts and the confirm button."""

from __future__ import annotations

import logging
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.handlers.access import refused_press
from bot.handlers.context import AchtervangContext
from bot.handlers.registry import LEADS
from bot.handlers.replies import edit_text, reply
from bot.handlers.required import data_of, message_of, present, query_of
from bot.i18n import N_, Translator
from bot.models import Coach, Phase
from bot.services import parsing
from bot.services.cases import admin as case_admin
from bot.services.cases.admin import Assignment, Changed, NeedsConfirmation, Problem, Refusal
from bot.texts.split import excerpt

log = logging.getLogger(__name__)

_PREFIX = "cassign:"
DAY = "EEE d MMM yyyy"

PHASE_LABELS: dict[Phase, str] = {
    Phase.AANMELDING: N_("aanmelding (referral)"),
    Phase.INTAKE: N_("intake"),
    Phase.PLAN: N_("plan"),
    Phase.UITVOERING: N_("uitvoering (carrying out the plan)"),
    Phase.EVALUATIE: N_("evaluatie (evaluation)"),
    Phase.AFSLUITING: N_("afsluiting (closing)"),
}


def phase_label(tr: Translator, phase: Phase) -> str:
    return tr._(PHASE_LABELS[phase])


def refusal_text(tr: Translator, refusal: Refusal, usage: str = "") -> str:
    texts = {
        Problem.USAGE: usage,
        Problem.UNKNOWN_CASE: tr._(
            "I don't know a family with case code '%(text)s'; nothing was changed.",
            text=excerpt(refusal.detail),
        ),
        Problem.AMBIGUOUS_CASE: tr._(
            "'%(text)s' fits several case codes: %(codes)s. Give the whole code.",
            text=excerpt(refusal.detail),
            codes=", ".join(refusal.candidates),
        ),
        Problem.UNKNOWN_COACH: tr._(
            "I don't know an active team member called '%(text)s'.", text=excerpt(refusal.detail)
        ),
        Problem.AMBIGUOUS_COACH: tr._(
            "'%(text)s' could be several people: %(names)s. Give the full name.",
            text=excerpt(refusal.detail),
            names=", ".join(refusal.candidates),
        ),
        Problem.SAME_COACH_AND_BACKUP: tr._(
            "%(name)s cannot be both the coach and the back-up of a family; nothing was changed.",
            name=excerpt(refusal.detail),
        ),
        Problem.UNKNOWN_PHASE: tr._(
            "'%(text)s' is not a phase. Phases: aanmelding, intake, plan, uitvoering, "
            "evaluatie, afsluiting.",
            text=excerpt(refusal.detail),
        ),
        Problem.BAD_DATE: tr._(
            "'%(text)s' is not a date I know. Write for example 2026-12-15 or 15-12-2026.",
            text=excerpt(refusal.detail),
        ),
        Problem.DATE_IN_PAST: tr._(
            "An evaluation date cannot be in the past; nothing was changed."
        ),
        Problem.CASE_CLOSED: tr._("That case is closed; nothing was changed."),
        Problem.NOT_A_HOLDER: tr._(
            "%(name)s cannot hold a family: only active coaches and team leads can. "
            "Nothing was changed.",
            name=excerpt(refusal.detail),
        ),
    }
    return texts[refusal.problem]


def _today(context: AchtervangContext) -> date:
    runtime = context.runtime
    return runtime.clock.now().astimezone(runtime.config.tz).date()


# --- /assign --------------------------------------------------------------------------------


async def assign_case(update: Update, context: AchtervangContext) -> None:
    runtime, tr, lead = context.runtime, context.tr, context.member
    args = context.args or []
    usage = tr._(
        "Use: /assign <case code> <coach> [back-up], for example /assign ALM-0417 Anna "
        "or /assign ALM-0417 Anna de Vries Bram Jansen."
    )
    parsed = _names(args)
    if parsed is None:
        await message_of(update).reply_text(usage)
        return
    code, names, quoted = parsed
    async with runtime.sessionmaker() as session:
        result = await case_admin.assign(
            session,
            lead=lead,
            code=code,
            names=names,
            quoted=quoted,
            today=_today(context),
            now=runtime.clock.now(),
        )
        await session.commit()  # refusals are audited too
    if isinstance(result, Refusal):
        await message_of(update).reply_text(refusal_text(tr, result, usage))
    elif isinstance(result, NeedsConfirmation):
        await _ask_confirmation(update, tr, result)
    else:
        await message_of(update).reply_text(_assigned_text(tr, result))
        await _tell_coaches(context, result)


def _names(args: list[str]) -> tuple[str, list[str], bool] | None:
    """`CODE coach [backup]`. Names may be quoted ("Anna de Vries" "Bram Jansen"); unquoted
    words are split into coach and back-up by the service."""
    if len(args) < 2:
        return None
    code, rest = args[0], " ".join(args[1:])
    if '"' not in rest:
        return code, args[1:], False
    names = [part.strip() for part in rest.split('"') if part.strip()]
    if not 1 <= len(names) <= 2:
        return None
    return code, names, True


async def _ask_confirmation(update: Update, tr: Translator, ask: NeedsConfirmation) -> None:
    backup = ask.backup.id if ask.backup else 0
    data = f"{_PREFIX}ok:{ask.case.id}:{ask.coach.id}:{backup}"
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(tr._("Assign anyway"), callback_data=data),
                InlineKeyboardButton(tr._("Cancel"), callback_data=f"{_PREFIX}no"),
            ]
        ]
    )
    await message_of(update).reply_text(
        tr.n_(
            "%(name)s already has %(n)d family, with a limit of %(limit)d. "
            "Assign %(code)s to %(name)s anyway?",
            "%(name)s already has %(n)d families, with a limit of %(limit)d. "
            "Assign %(code)s to %(name)s anyway?",
            ask.families,
            name=ask.coach.name,
            limit=ask.coach.caseload_limit,
            code=ask.case.code,
        ),
        reply_markup=keyboard,
    )


async def button_pressed(update: Update, context: AchtervangContext) -> None:
    runtime, tr, lead = context.runtime, context.tr, context.coach
    query = query_of(update)
    # Buttons skip the command gate: the role is checked here, at press time.
    if lead is None or lead.role not in LEADS:
        await refused_press(context, "assign", "role")
        await reply(update, tr._("That command is not available for your role."))
        return
    action, _, argument = data_of(query).removeprefix(_PREFIX).partition(":")
    if action == "no":
        await query.answer()
        await query.edit_message_text(tr._("Cancelled; nothing was changed."))
        return
    raw = argument.split(":")
    ids = parsing.row_ids(raw[:2], 2) if action == "ok" and len(raw) == 3 else None
    backup_id = parsing.ascii_int(raw[2], 0, parsing.MAX_ROW_ID) if ids else None  # 0: none
    if ids is None or backup_id is None:
        await reply(update, tr._("This button no longer works."))
        return
    case_id, coach_id = ids
    async with runtime.sessionmaker() as session:
        result = await case_admin.confirm_assign(
            session,
            lead=lead,
            case_id=case_id,
            coach_id=coach_id,
            backup_id=backup_id or None,
            now=runtime.clock.now(),
        )
        await session.commit()
    await query.answer()
    if isinstance(result, Refusal):
        await edit_text(query, refusal_text(tr, result))
        return
    await query.edit_message_text(_assigned_text(tr, result))
    await _tell_coaches(context, result)


def _assigned_text(tr: Translator, done: Assignment) -> str:
    return tr._(
        "Done: %(code)s now has coach %(coach)s and back-up %(backup)s.",
        code=done.case.code,
        coach=done.coach.name,
        backup=done.backup.name if done.backup else tr._("none"),
    )


async def _tell_coaches(context: AchtervangContext, done: Assignment) -> None:
    """The new coach, the coach who lost the family, and a new back-up hear it privately."""
    lead, code = context.member, done.case.code
    notices: list[tuple[Coach, str, dict[str, str]]] = []
    if done.old_coach is None or done.old_coach.id != done.coach.id:
        notices.append((done.coach, N_("%(lead)s has made you the coach of family %(code)s."), {}))
        if done.old_coach is not None:
            notices.append(
                (
                    done.old_coach,
                    N_("%(lead)s has given family %(code)s to %(coach)s."),
                    {"coach": done.coach.name},
                )
            )
    if done.backup is not None and (
        done.old_backup is None or done.old_backup.id != done.backup.id
    ):
        notices.append(
            (
                done.backup,
                N_("%(lead)s has made you the back-up coach of family %(code)s."),
                {},
            )
        )
    for coach, message, extra in notices:
        if coach.id == lead.id or coach.telegram_user_id is None:
            continue
        tr = context.runtime.translator(coach.language)
        try:
            await context.bot.send_message(
                coach.telegram_user_id, tr._(message, lead=lead.name, code=code, **extra)
            )
        except TelegramError as exc:
            # The assignment stands; the morning reminder and /mycases show it too.
            log.warning("could not tell coach %s about an assignment: %s", coach.id, exc)


# --- /phase and /evaluation ----------------------------------------------------------------


async def change_phase(update: Update, context: AchtervangContext) -> None:
    runtime, tr = context.runtime, context.tr
    usage = tr._(
        "Use: /phase <case code> <phase>, for example /phase ALM-0417 evaluatie. Phases: "
        "aanmelding, intake, plan, uitvoering, evaluatie, afsluiting."
    )
    args = context.args or []
    if len(args) != 2:
        await message_of(update).reply_text(usage)
        return
    async with runtime.sessionmaker() as session:
        result = await case_admin.set_phase(
            session,
            lead=context.member,
            code=args[0],
            phase_text=args[1],
            today=_today(context),
            now=runtime.clock.now(),
        )
        await session.commit()
    await message_of(update).reply_text(_changed_phase(tr, result, usage))


def _changed_phase(tr: Translator, result: Changed | Refusal, usage: str) -> str:
    if isinstance(result, Refusal):
        return refusal_text(tr, result, usage)
    case = result.case
    text = tr._(
        "Done: %(code)s is now in phase %(phase)s; it was %(before)s.",
        code=case.code,
        phase=phase_label(tr, case.phase),
        before=phase_label(tr, Phase(result.before)),
    )
    if case.phase is Phase.AFSLUITING and case.end_date is not None:
        text += " " + tr._("The case is closed as of %(day)s.", day=tr.date(case.end_date, DAY))
    return text


async def set_evaluation(update: Update, context: AchtervangContext) -> None:
    runtime, tr = context.runtime, context.tr
    usage = tr._(
        "Use: /evaluation <case code> <date>, for example /evaluation ALM-0417 2026-12-15 "
        "or /evaluation ALM-0417 15-12-2026."
    )
    args = context.args or []
    if len(args) != 2:
        await message_of(update).reply_text(usage)
        return
    async with runtime.sessionmaker() as session:
        result = await case_admin.set_evaluation(
            session,
            lead=context.member,
            code=args[0],
            date_text=args[1],
            today=_today(context),
            now=runtime.clock.now(),
        )
        await session.commit()
    if isinstance(result, Refusal):
        await message_of(update).reply_text(refusal_text(tr, result, usage))
        return
    case = result.case
    await message_of(update).reply_text(
        tr._(
            "Done: the next evaluation of %(code)s is on %(day)s.",
            code=case.code,
            day=tr.date(present(case.next_evaluation, "the evaluation just set"), DAY),
        )
    )


HANDLERS = [
    CommandHandler("assign", assign_case),
    CommandHandler("phase", change_phase),
    CommandHandler("evaluation", set_evaluation),
    CallbackQueryHandler(button_pressed, pattern=f"^{_PREFIX}"),
]
