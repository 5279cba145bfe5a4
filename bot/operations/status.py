"""What this process is doing, for /readyz, /metrics and the heartbeat."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.operations.role import Role


@dataclass
class Status:
    role: Role = Role.STARTING
    # time.monotonic() of the last completed scheduler tick of this instance.
    last_tick: float | None = None

    def set_role(self, role: Role) -> None:
        from bot.operations import metrics  # metrics imports prometheus_client: only when used

        self.role = role
        if role != Role.ACTIVE:
            self.last_tick = None
        metrics.set_role(role)

    def ticked(self) -> None:
        self.last_tick = time.monotonic()

    def tick_age(self) -> float | None:
        return None if self.last_tick is None else time.monotonic() - self.last_tick


# One process, one status: the scheduler writes it, the HTTP endpoints and heartbeat read it.
STATUS = Status()
