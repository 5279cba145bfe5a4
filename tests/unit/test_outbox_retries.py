"""How long a failing message is tried: Telegram's flood control uses up no tries, a crisis
message keeps trying while Telegram fails only for a while, a roster notice gives up."""

from datetime import UTC, datetime, timedelta

from bot.models import OutboxMessage, OutboxStatus
from bot.scheduling import outbox

NOW = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)


def _row(kind: str, attempts: int, created_at: datetime = NOW) -> OutboxMessage:
    return OutboxMessage(
        key="k",
        kind=kind,
        coach_id=1,
        payload={},
        due_at=NOW,
        status=OutboxStatus.SENDING,
        attempts=attempts,
        created_at=created_at,
    )


def test_flood_control_is_not_a_failed_attempt():
    row = _row("shift_reminder", attempts=outbox.MAX_ATTEMPTS)
    outbox.throttled(row, NOW, "retry after 7", timedelta(seconds=7))
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == outbox.MAX_ATTEMPTS - 1
    assert row.due_at == NOW + timedelta(seconds=7)


def test_a_roster_notice_gives_up_after_its_tries():
    row = _row("shift_reminder", attempts=outbox.MAX_ATTEMPTS)
    outbox.retry_later(row, NOW, "Internal Server Error")
    assert row.status == OutboxStatus.FAILED


def test_a_crisis_message_keeps_trying_for_a_day():
    for kind in sorted(outbox.URGENT_KINDS):
        row = _row(kind, attempts=500, created_at=NOW - timedelta(hours=23))
        outbox.retry_later(row, NOW, "Internal Server Error")
        assert row.status == OutboxStatus.PENDING, kind
        assert row.due_at == NOW + timedelta(seconds=30), kind
        old = _row(kind, attempts=3, created_at=NOW - timedelta(days=1))
        outbox.retry_later(old, NOW, "Internal Server Error")
        assert old.status == OutboxStatus.FAILED, kind
