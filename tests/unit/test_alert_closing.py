"""The alert-closing service: who may resolve, the own coach's summary and when it is due,
the taker's reminder, and the list of running alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config.team import TeamConfig
from bot.models import Alert, AlertStatus, AuditEvent, OutboxMessage, Role
from bot.services.alerts import closing as alert_closing
from bot.services.alerts.closing import Closed
from bot.services.team.coaches import add_coach

MONDAY_0900 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Amsterdam is UTC+1 in November


@pytest.fixture
def config() -> TeamConfig:
    return TeamConfig.model_validate(
        {
            "duties": {"office_hours": {"closed_dates": [date(2026, 11, 24)]}},
            "alerts": {"resolve_reminder_after": "30m"},
        }
    )


@pytest.fixture
async def people(session, config):
    made = {}
    for name, role in [("Anna de Vries", Role.COACH), ("Bram Jansen", Role.COACH)]:
        made[name.split()[0]] = await add_coach(
            session, name=name, role=role, config=config, now=MONDAY_0900
        )
    await session.commit()
    return made


async def _taken_alert(session, *, own, taker, raised_at=MONDAY_0900, code="GZ-1042") -> Alert:
    alert = Alert(
        case_code=code,
        own_coach_id=own.id if own else None,
        text="moeder belt",
        reporter_id=taker.id,
        raised_at=raised_at,
        in_office_hours=True,
        chain=[{"to": "first", "wait": 60, "coach_ids": [taker.id]}],
        status=AlertStatus.TAKEN,
        round=0,
        step=0,
        taken_by_id=taker.id,
        taken_at=raised_at + timedelta(minutes=1),
    )
    session.add(alert)
    await session.flush()
    return alert


async def _outbox(session, key: str) -> OutboxMessage | None:
    return await session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))


@pytest.mark.parametrize(
    ("now", "due"),
    [
        # In office hours: at once.
        (datetime(2026, 11, 23, 10, 0, tzinfo=UTC), datetime(2026, 11, 23, 10, 0, tzinfo=UTC)),
        # Monday evening; Tuesday is closed (closed_dates): Wednesday 08:30 local.
        (datetime(2026, 11, 23, 19, 0, tzinfo=UTC), datetime(2026, 11, 25, 7, 30, tzinfo=UTC)),
        # Wednesday 07:00 local, before opening: the same morning.
        (datetime(2026, 11, 25, 6, 0, tzinfo=UTC), datetime(2026, 11, 25, 7, 30, tzinfo=UTC)),
        # Friday night: Monday morning.
        (datetime(2026, 11, 27, 22, 0, tzinfo=UTC), datetime(2026, 11, 30, 7, 30, tzinfo=UTC)),
    ],
)
def test_summary_due_is_now_in_office_hours_else_the_next_office_morning(config, now, due):
    assert alert_closing.summary_due(config, now) == due


async def test_resolve_stores_audits_and_plans_the_own_coachs_summary(session, config, people):
    anna, bram = people["Anna"], people["Bram"]
    alert = await _taken_alert(session, own=anna, taker=bram)
    evening = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    done = await alert_closing.resolve(
        session, config, alert.id, bram, outcome="police", note="  politie\nerbij  ", now=evening
    )
    await session.commit()
    assert done.result is Closed.RESOLVED
    assert (alert.status, alert.outcome, alert.note, alert.resolved_at) == (
        AlertStatus.RESOLVED,
        "police",
        "politie erbij",
        evening,
    )
    event = await session.scalar(select(AuditEvent).where(AuditEvent.action == "alert.resolved"))
    assert (event.outcome, event.subject, event.actor_coach_id) == ("police", "GZ-1042", bram.id)
    summary = await _outbox(session, f"alert-summary:{alert.id}")
    assert summary.coach_id == anna.id
    assert summary.due_at == datetime(2026, 11, 25, 7, 30, tzinfo=UTC)

    again = await alert_closing.resolve(
        session, config, alert.id, bram, outcome="other", note="nog eens", now=evening
    )
    assert again.result is Closed.NOT_TAKEN
    assert alert.outcome == "police"


async def test_only_the_taker_resolves_and_the_own_coach_gets_no_summary_of_her_own(
    session, config, people
):
    anna, bram = people["Anna"], people["Bram"]
    alert = await _taken_alert(session, own=anna, taker=anna)
    refused = await alert_closing.resolve(
        session, config, alert.id, bram, outcome="phone", note="x", now=MONDAY_0900
    )
    assert refused.result is Closed.NOT_YOURS
    assert alert.status == AlertStatus.TAKEN
    assert (
        await alert_closing.resolve(
            session, config, 9999, anna, outcome="phone", note="x", now=MONDAY_0900
        )
    ).result is Closed.UNKNOWN
    done = await alert_closing.resolve(
        session, config, alert.id, anna, outcome="phone", note="rustig", now=MONDAY_0900
    )
    assert done.result is Closed.RESOLVED
    assert await _outbox(session, f"alert-summary:{alert.id}") is None
    with pytest.raises(ValueError):
        await alert_closing.resolve(
            session, config, alert.id, anna, outcome="weird", note="x", now=MONDAY_0900
        )


async def test_reminder_is_planned_once_after_the_configured_time(session, config, people):
    bram = people["Bram"]
    alert = await _taken_alert(session, own=None, taker=bram)
    assert await alert_closing.plan_reminder(session, config, alert)
    assert not await alert_closing.plan_reminder(session, config, alert)
    row = await _outbox(session, f"alert-resolve-reminder:{alert.id}")
    assert (row.coach_id, row.kind) == (bram.id, "alert_resolve_reminder")
    assert row.due_at == alert.taken_at + timedelta(minutes=30)


def test_notes_are_one_line_and_at_most_300_characters():
    assert alert_closing.clean_note(" a\n\n b\tc ") == "a b c"
    assert alert_closing.note_fits("x" * 300)
    assert not alert_closing.note_fits("x" * 301)
    assert not alert_closing.note_fits("")


async def test_running_lists_open_and_taken_newest_first(session, config, people):
    anna, bram = people["Anna"], people["Bram"]
    older = await _taken_alert(session, own=anna, taker=bram, code="GZ-1")
    newer = await _taken_alert(
        session, own=anna, taker=anna, code="GZ-2", raised_at=MONDAY_0900 + timedelta(hours=1)
    )
    done = await _taken_alert(session, own=anna, taker=anna, code="GZ-3")
    done.status = AlertStatus.RESOLVED
    newer.status, newer.taken_by_id, newer.round = AlertStatus.OPEN, None, 1
    await session.flush()
    items = await alert_closing.running(session)
    assert [item.alert.case_code for item in items] == ["GZ-2", "GZ-1"]
    assert (items[0].taken_by, items[0].step_to, items[0].step, items[0].round) == (
        None,
        "first",
        1,
        2,
    )
    assert items[1].taken_by == "Bram Jansen"
    assert [a.id for a in await alert_closing.taken_unresolved(session, bram)] == [older.id]
