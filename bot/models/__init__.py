"""ORM models; importing this package registers every table on Base.metadata."""

from bot.models.audit import AuditEvent
from bot.models.base import Base
from bot.models.case import Case, Phase, SafetyStatus
from bot.models.coach import Coach, Role
from bot.models.enrolment import EnrolmentLockout, InviteCode

__all__ = [
    "AuditEvent",
    "Base",
    "Case",
    "Coach",
    "EnrolmentLockout",
    "InviteCode",
    "Phase",
    "Role",
    "SafetyStatus",
]
