"""The part a process plays among the instances sharing a database; /readyz, /metrics and the
heartbeat report it."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    STARTING = "starting"
    STANDBY = "standby"  # another instance is active; this one takes over when it stops
    ACTIVE = "active"  # polls Telegram and runs the scheduler
    UNREACHABLE = "unreachable"  # cannot reach the database to take part
    STOPPING = "stopping"
