"""`achtervang audit export` and `achtervang cases purge`, run as the privacy officer would.
The processes read the real clock, so dates are chosen to hold on any day."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.models import Alert, AlertStatus, AuditEvent, Case, CaseContact, Phase
from bot.services.team.coaches import find_by_name


async def _coach(cli, sessionmaker, name="Anna de Vries"):
    assert (await cli("coach", "add", name)).code == 0
    async with sessionmaker() as session:
        return await find_by_name(session, name)


async def test_audit_export_since_a_local_date(cli, engine, sessionmaker, tmp_path):
    anna = await _coach(cli, sessionmaker)
    async with sessionmaker() as session:
        # 22:59 UTC on 31 Dec is already 1 January in Amsterdam; 22:00 UTC on 30 Dec is not.
        for at, action in (
            (datetime(2025, 12, 30, 22, 0, tzinfo=UTC), "case.view"),
            (datetime(2025, 12, 31, 23, 30, tzinfo=UTC), "case.assign"),
            (datetime(2026, 7, 1, 10, 0, tzinfo=UTC), "case.phase"),
        ):
            session.add(
                AuditEvent(
                    at=at,
                    actor_coach_id=anna.id,
                    actor_telegram_id=4242,
                    action=action,
                    subject="ALM-0417",
                    outcome="refused" if action == "case.phase" else "ok",
                    detail='coach "A", B',
                )
            )
        await session.commit()

    result = await cli("audit", "export", "--since", "2026-01-01", "--csv", "-")
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == [
        "at",
        "actor",
        "actor_telegram_id",
        "action",
        "subject",
        "outcome",
        "detail",
    ]
    assert rows[1] == [
        "2026-01-01T00:30:00+01:00",
        "Anna de Vries",
        "4242",
        "case.assign",
        "ALM-0417",
        "ok",
        'coach "A", B',
    ]
    assert rows[2][0] == "2026-07-01T12:00:00+02:00"  # summer time
    # Then adding Anna (today), nothing from 30 December.
    assert [row[3] for row in rows[3:]] == ["coach.add", "invite.create"]

    target = tmp_path / "audit.csv"
    written = await cli("audit", "export", "--since", "31-12-2025", "--csv", str(target))
    assert written.code == 0
    assert written.out.strip() == (f"4 auditregels sinds 2025-12-31 geschreven naar {target}.")
    assert len(list(csv.reader(target.open(encoding="utf-8")))) == 5


async def test_audit_export_refuses_a_bad_date(cli, engine):
    result = await cli("audit", "export", "--since", "gisteren?", "--csv", "-")
    assert result.code == 1
    assert "'gisteren?' is geen datum die ik ken" in result.err
    assert result.out == ""


async def _closed_case(sessionmaker, coach_id: int, code: str, end: date) -> int:
    now = datetime.now(UTC)
    async with sessionmaker() as session:
        case = Case(code=code, coach_id=coach_id, phase=Phase.AFSLUITING, end_date=end)
        session.add(case)
        await session.flush()
        session.add_all(
            [
                CaseContact(
                    case_id=case.id, coach_id=coach_id, on=end, recorded_at=now, note="moeder ziek"
                ),
                CaseContact(case_id=case.id, coach_id=coach_id, on=end, recorded_at=now),
                Alert(
                    case_code=code,
                    case_id=case.id,
                    text="vader dreigt",
                    reporter_id=coach_id,
                    raised_at=now,
                    in_office_hours=True,
                    chain=[],
                    status=AlertStatus.RESOLVED,
                    note="politie ingeschakeld",
                ),
            ]
        )
        session.add(
            AuditEvent(
                at=now, action="case.view", outcome="full", subject=code, actor_coach_id=coach_id
            )
        )
        await session.commit()
        return case.id


async def test_purge_dry_run_then_purge_keeps_the_audit_trail(cli, engine, sessionmaker):
    anna = await _coach(cli, sessionmaker)
    today = datetime.now(UTC).date()
    old = await _closed_case(sessionmaker, anna.id, "GZ-OLD", today - timedelta(days=800))
    recent = await _closed_case(sessionmaker, anna.id, "GZ-NEW", today - timedelta(days=300))

    dry = await cli("cases", "purge", "--dry-run")
    assert dry.code == 0, dry.err
    assert "GZ-OLD (afgesloten " in dry.out and "1 contactnotities, 1 crisismeldingen" in dry.out
    assert "GZ-NEW" not in dry.out
    assert dry.out.splitlines()[-1] == (
        "Proefdraai: 1 casus die langer dan 24 maanden geleden is afgesloten, "
        "zou worden opgeschoond."
    )
    async with sessionmaker() as session:
        purges = select(func.count()).where(AuditEvent.action == "case.purge")
        assert await session.scalar(purges) == 0
        notes = await session.scalars(select(CaseContact.note).where(CaseContact.case_id == old))
        assert "moeder ziek" in list(notes)

    done = await cli("cases", "purge")
    assert done.code == 0, done.err
    assert done.out.splitlines()[-1] == (
        "De notities van 1 casus die langer dan 24 maanden geleden is afgesloten, zijn opgeschoond."
    )
    async with sessionmaker() as session:
        for case_id, kept in ((old, False), (recent, True)):
            notes = list(
                await session.scalars(
                    select(CaseContact.note).where(CaseContact.case_id == case_id)
                )
            )
            alert = await session.scalar(select(Alert).where(Alert.case_id == case_id))
            if kept:
                assert "moeder ziek" in notes and alert.text == "vader dreigt"
            else:
                assert notes == [None, None]
                assert (alert.text, alert.note) == ("—", None)
        events = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action.like("case.%")).order_by(AuditEvent.id)
            )
        )
        # The two look-ups are still there, and the purge is on record.
        assert [(e.action, e.subject) for e in events] == [
            ("case.view", "GZ-OLD"),
            ("case.view", "GZ-NEW"),
            ("case.purge", "GZ-OLD"),
        ]
        assert await session.get(Case, old) is not None

    again = await cli("cases", "purge")
    assert again.out.splitlines()[-1].startswith("De notities van 0 casussen")
