"""Prometheus metrics. The rest of the code calls the small functions below at a few
well-defined points; /metrics (bot/operations/http.py) serves them."""

from __future__ import annotations

from datetime import datetime, timedelta

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from bot.operations.role import Role

REGISTRY = CollectorRegistry()

ALERTS_RAISED = Counter("achtervang_alerts_raised", "Crisis alerts raised.", registry=REGISTRY)
ALERTS_TAKEN = Counter(
    "achtervang_alerts_taken", "Crisis alerts taken by a coach.", registry=REGISTRY
)
ALERTS_ESCALATED = Counter(
    "achtervang_alerts_escalated",
    "Escalation steps after a step went unanswered.",
    registry=REGISTRY,
)
ALERTS_UNANSWERED = Counter(
    "achtervang_alerts_unanswered",
    "Crisis alerts that ran through the chain unanswered.",
    registry=REGISTRY,
)
TIME_TO_TAKE = Histogram(
    "achtervang_alert_time_to_take_seconds",
    "From raising a crisis alert to a coach taking it.",
    buckets=(15, 30, 60, 120, 300, 600, 900, 1800, 3600),
    registry=REGISTRY,
)
ESCALATION_LATENESS = Histogram(
    "achtervang_escalation_lateness_seconds",
    "How long after its deadline an unanswered step was escalated.",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
    registry=REGISTRY,
)
OUTBOX_BACKLOG = Gauge(
    "achtervang_outbox_backlog", "Outbox messages due and not yet sent.", registry=REGISTRY
)
OUTBOX_OLDEST_DUE = Gauge(
    "achtervang_outbox_oldest_due_age_seconds",
    "Age of the oldest due, unsent outbox message (0 when none).",
    registry=REGISTRY,
)
OUTBOX_FAILURES = Counter(
    "achtervang_outbox_failures",
    "Outbox messages given up on, by kind.",
    ["kind"],
    registry=REGISTRY,
)
BOT_API_ERRORS = Counter(
    "achtervang_bot_api_errors",
    "Bot API calls that failed, by error code (network when there was no answer).",
    ["code"],
    registry=REGISTRY,
)
ROLE = Gauge(
    "achtervang_instance_role", "1 for this instance's current role.", ["role"], registry=REGISTRY
)
for _role in Role:
    ROLE.labels(_role.value).set(1 if _role == Role.STARTING else 0)


def set_role(role: Role) -> None:
    for other in Role:
        ROLE.labels(other.value).set(1 if other == role else 0)


def alert_raised() -> None:
    ALERTS_RAISED.inc()


def alert_taken(raised_at: datetime, now: datetime) -> None:
    ALERTS_TAKEN.inc()
    TIME_TO_TAKE.observe(max(0.0, (now - raised_at).total_seconds()))


def alert_escalated(deadline: datetime | None, now: datetime) -> None:
    ALERTS_ESCALATED.inc()
    if deadline is not None:
        ESCALATION_LATENESS.observe(max(0.0, (now - deadline).total_seconds()))


def alert_unanswered() -> None:
    ALERTS_UNANSWERED.inc()


def outbox_failed(kind: str) -> None:
    OUTBOX_FAILURES.labels(kind).inc()


def bot_api_error(code: int | str) -> None:
    BOT_API_ERRORS.labels(str(code)).inc()


def outbox_state(backlog: int, oldest_due_age: timedelta | None) -> None:
    OUTBOX_BACKLOG.set(backlog)
    OUTBOX_OLDEST_DUE.set(oldest_due_age.total_seconds() if oldest_due_age else 0.0)
