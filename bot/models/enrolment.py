from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime


class InviteCode(Base):
    """A one-time code that links a Telegram account to a coach; only its hash is kept."""

    __tablename__ = "invite_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when redeemed, or when a newer invite for the same coach replaces this one.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EnrolmentLockout(Base):
    """Wrong-code counter per Telegram user, so invite codes cannot be guessed."""

    __tablename__ = "enrolment_lockouts"

    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
