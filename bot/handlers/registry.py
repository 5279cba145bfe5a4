"""Every command, who may use it and whether it is safe in a group chat. /help, Telegram's
command menu and the access gate all read this one list."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_
from bot.models import Role

ALL_ROLES = frozenset(Role)
TEAM = frozenset({Role.COACH, Role.TEAMLEAD, Role.ADMIN})


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
    CommandSpec("now", N_("Who is on duty now, and who is next"), roles=TEAM, in_groups=True),
)

_BY_NAME = {spec.name: spec for spec in COMMANDS}


def lookup(name: str) -> CommandSpec | None:
    return _BY_NAME.get(name)


def commands_for(role: Role | None) -> list[CommandSpec]:
    if role is None:
        return [spec for spec in COMMANDS if spec.public]
    return [spec for spec in COMMANDS if role in spec.roles]
