"""Every command, who may use it and whether it is safe in a group chat. /help, Telegram's
command menu and the access gate all read this one list."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_
from bot.models import Role

ALL_ROLES = frozenset(Role)
TEAM = frozenset({Role.COACH, Role.TEAMLEAD, Role.ADMIN})
LEADS = frozenset({Role.TEAMLEAD, Role.ADMIN})


@dataclass(frozen=True)
class CommandSpec:
    name: str
    description: str  # msgid, translated where shown
    roles: frozenset[Role] = ALL_ROLES
    # Only commands that can never show case data may answer in a group chat.
    in_groups: bool = False
    # Shown in the menu before enrolment too.
    public: bool = False


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", N_("Link your Telegram account with an invite code"), public=True),
    CommandSpec("help", N_("Show what you can do here"), in_groups=True, public=True),
    CommandSpec("language", N_("Choose Dutch or English"), public=True),
    # Rosters name coaches, never families: safe for the team's group chat.
    # Partners may raise alerts too; an alert shows case data, so private chats only.
    CommandSpec("crisis", N_("Raise a crisis alert for a family")),
    CommandSpec("resolve", N_("Close a crisis alert you took: outcome and note"), roles=TEAM),
    CommandSpec("alerts", N_("Crisis alerts still open or not yet resolved"), roles=TEAM),
    CommandSpec("cancel", N_("Stop a step-by-step question you are in")),
    # Staff contact details (own only): private chats, like everything personal.
    CommandSpec("profile", N_("My phone number and e-mail address for colleagues; my workdays")),
    # Case data: private chats only; how much of a card someone sees is case_access's call.
    CommandSpec("case", N_("A family's card: who to contact, phase, dates"), roles=TEAM),
    CommandSpec("contact", N_("Record today's contact with a family"), roles=TEAM),
    CommandSpec("mycases", N_("My families, what is due first"), roles=TEAM),
    # Absences name the coach and say which families need a back-up: private chats only.
    CommandSpec("absent", N_("Report sick, leave or training; back-ups are asked"), roles=TEAM),
    CommandSpec("back", N_("End my absence now: back-ups released, summary"), roles=TEAM),
    CommandSpec("caseload", N_("Families per coach against their limit, who has room"), roles=TEAM),
    CommandSpec("covers", N_("Who covers whom now, open gaps first"), roles=TEAM),
    CommandSpec("now", N_("Who is on duty now, and who is next"), roles=TEAM, in_groups=True),
    CommandSpec("roster", N_("The week's duty roster, per day"), roles=TEAM, in_groups=True),
    CommandSpec("myshifts", N_("My coming shifts"), roles=TEAM),
    CommandSpec("swap", N_("Offer one of my shifts to the team"), roles=TEAM),
    CommandSpec("calendar", N_("My shifts for my calendar app (.ics)"), roles=TEAM),
    # Home visits name the coach, the family code and where they are: private chats only.
    CommandSpec(
        "visit", N_("Start a home visit: until when; alarm if you are not back"), roles=TEAM
    ),
    CommandSpec("back_safe", N_("Safely back from my home visit"), roles=TEAM),
    CommandSpec("sos", N_("Danger on a home visit: alert the coach on duty now"), roles=TEAM),
    CommandSpec("visits", N_("Running home visits, overdue first (lead, duty coach)"), roles=TEAM),
    CommandSpec("override", N_("Assign a shift to a coach (team lead)"), roles=LEADS),
    CommandSpec("rota", N_("Rotations, workdays and a proposed roster (team lead)"), roles=LEADS),
    CommandSpec("rosterreport", N_("Duty hours, gaps and conflicts (team lead)"), roles=LEADS),
    CommandSpec("assign", N_("Give a family a coach and back-up (team lead)"), roles=LEADS),
    CommandSpec("phase", N_("Change the phase of a family's case (team lead)"), roles=LEADS),
    CommandSpec("evaluation", N_("Set a family's next evaluation date (team lead)"), roles=LEADS),
    CommandSpec("waitlist", N_("The waitlist in order, or one family's place"), roles=TEAM),
    CommandSpec("waitlist_add", N_("Put a referral on the waitlist (team lead)"), roles=LEADS),
    CommandSpec("intake", N_("Move a waiting family to a coach (team lead)"), roles=LEADS),
)

_BY_NAME = {spec.name: spec for spec in COMMANDS}


def lookup(name: str) -> CommandSpec | None:
    return _BY_NAME.get(name)


def commands_for(role: Role | None) -> list[CommandSpec]:
    if role is None:
        return [spec for spec in COMMANDS if spec.public]
    return [spec for spec in COMMANDS if role in spec.roles]
