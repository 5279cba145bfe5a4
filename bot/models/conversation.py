"""Conversation state kept in the database, so that a half-finished step-by-step conversation
(a /crisis waiting for its code or text) survives a failover to the standby instance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, UTCDateTime


class ConversationState(Base):
    __tablename__ = "conversation_state"
    __table_args__ = (UniqueConstraint("kind", "name", "key", name="uq_conversation_state_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "conversation" (name: the ConversationHandler's, key: its chat and user) or "user_data"
    # (name empty, key: the Telegram user id).
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    data: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
