"""Whether this instance is fit for duty: the answer behind /readyz and the heartbeat."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.models import OutboxMessage, OutboxStatus
from bot.operations import metrics
from bot.operations.status import STATUS, Role, Status
from bot.scheduling.clock import Clock

DATABASE_TIMEOUT = 3.0

_BACKLOG = select(func.count(OutboxMessage.id), func.min(OutboxMessage.due_at)).where(
    OutboxMessage.status == OutboxStatus.PENDING
)


@dataclass
class Readiness:
    role: Role
    database: str = "ok"
    last_tick_age: float | None = None
    outbox_backlog: int | None = None
    oldest_due_age: float | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "ready": self.ready,
            "role": self.role.value,
            "database": self.database,
            "last_tick_age_seconds": self.last_tick_age,
            "outbox_backlog": self.outbox_backlog,
            "oldest_due_age_seconds": self.oldest_due_age,
            "problems": self.problems,
        }


@dataclass
class HealthCheck:
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    # The active instance's scheduler must have finished a tick this recently.
    max_tick_age: float
    status: Status = field(default_factory=lambda: STATUS)

    async def __call__(self) -> Readiness:
        result = Readiness(role=self.status.role)
        if result.role not in (Role.ACTIVE, Role.STANDBY):
            result.problems.append(f"instance is {result.role.value}")
        try:
            backlog, oldest = await asyncio.wait_for(self._backlog(), DATABASE_TIMEOUT)
        except Exception as exc:
            result.database = f"unreachable: {type(exc).__name__}"
            result.problems.append("database unreachable")
        else:
            result.outbox_backlog = backlog
            age = self.clock.now() - oldest if oldest is not None else None
            result.oldest_due_age = max(0.0, age.total_seconds()) if age else 0.0
            metrics.outbox_state(backlog, age)
        if result.role == Role.ACTIVE:
            result.last_tick_age = self.status.tick_age()
            if result.last_tick_age is None or result.last_tick_age > self.max_tick_age:
                result.problems.append("scheduler not ticking")
        return result

    async def _backlog(self) -> tuple[int, datetime | None]:
        async with self.sessionmaker() as session:
            now = self.clock.now()
            row = (await session.execute(_BACKLOG.where(OutboxMessage.due_at <= now))).one()
            return int(row[0]), row[1]
