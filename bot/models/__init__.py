"""ORM models; importing this package registers every table on Base.metadata."""

from bot.models.absence import AbsenceKind, AbsenceRecord
from bot.models.alert import ALERT_CRISIS, ALERT_SAFETY, Alert, AlertRecipient, AlertStatus
from bot.models.audit import AuditEvent
from bot.models.base import Base
from bot.models.case import Case, Phase, SafetyStatus
from bot.models.coach import Coach, Role
from bot.models.contact import CaseContact
from bot.models.conversation import ConversationState
from bot.models.cover import CaseCover, CoverStatus
from bot.models.enrolment import EnrolmentLockout, InviteCode
from bot.models.feed_token import FEED_CALENDAR, FEED_ROSTER, FeedToken
from bot.models.inbox import InboxUpdate
from bot.models.outbox import OutboxMessage, OutboxStatus
from bot.models.roster import (
    OverrideKind,
    RosterOverride,
    SwapOffer,
    SwapOfferMessage,
    SwapStatus,
)
from bot.models.rota import (
    PlanStatus,
    RosterPlan,
    RosterPlanShift,
    RotaChange,
    RotaChangeStatus,
    RotationMember,
    RotationRow,
)
from bot.models.visit import Visit, VisitLocation, VisitStage, VisitStatus
from bot.models.waitlist import WaitlistEntry

__all__ = [
    "ALERT_CRISIS",
    "ALERT_SAFETY",
    "FEED_CALENDAR",
    "FEED_ROSTER",
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
    "ConversationState",
    "CoverStatus",
    "EnrolmentLockout",
    "FeedToken",
    "InboxUpdate",
    "InviteCode",
    "OutboxMessage",
    "OutboxStatus",
    "OverrideKind",
    "Phase",
    "PlanStatus",
    "Role",
    "RosterOverride",
    "RosterPlan",
    "RosterPlanShift",
    "RotaChange",
    "RotaChangeStatus",
    "RotationMember",
    "RotationRow",
    "SafetyStatus",
    "SwapOffer",
    "SwapOfferMessage",
    "SwapStatus",
    "Visit",
    "VisitLocation",
    "VisitStage",
    "VisitStatus",
    "WaitlistEntry",
]
