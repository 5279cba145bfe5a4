"""ORM models; importing this package registers every table on Base.metadata."""

from bot.models.absence import AbsenceKind, AbsenceRecord
from bot.models.alert import Alert, AlertRecipient, AlertStatus
from bot.models.audit import AuditEvent
from bot.models.base import Base
from bot.models.case import Case, Phase, SafetyStatus
from bot.models.coach import Coach, Role
from bot.models.contact import CaseContact
from bot.models.cover import CaseCover, CoverStatus
from bot.models.enrolment import EnrolmentLockout, InviteCode
from bot.models.inbox import InboxUpdate
from bot.models.outbox import OutboxMessage, OutboxStatus
from bot.models.roster import (
    OverrideKind,
    RosterOverride,
    SwapOffer,
    SwapOfferMessage,
    SwapStatus,
)
from bot.models.waitlist import WaitlistEntry

__all__ = [
    "AbsenceKind",
    "AbsenceRecord",
    "Alert",
    "AlertRecipient",
    "AlertStatus",
    "AuditEvent",
    "Base",
    "Case",
    "CaseContact",
    "CaseCover",
    "Coach",
    "CoverStatus",
    "EnrolmentLockout",
    "InboxUpdate",
    "InviteCode",
    "OutboxMessage",
    "OutboxStatus",
    "OverrideKind",
    "Phase",
    "Role",
    "RosterOverride",
    "SafetyStatus",
    "SwapOffer",
    "SwapOfferMessage",
    "SwapStatus",
    "WaitlistEntry",
]
