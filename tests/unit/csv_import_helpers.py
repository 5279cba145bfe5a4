"""What the CSV import tests of coaches and of cases share: reading a report, the fields
compared, and running an import on the test session."""

from pathlib import Path

from sqlalchemy import func, select

from bot.models import Case, Coach
from bot.services.imports.cases import import_cases
from bot.services.imports.coaches import import_coaches
from bot.services.imports.pipeline import ImportReport

DATA = Path(__file__).parent.parent / "data"


async def _count(session, model) -> int:
    return await session.scalar(select(func.count()).select_from(model))


def _where(report: ImportReport) -> list[tuple[int, str | None]]:
    return [(problem.line, problem.column) for problem in report.problems]


def _coach_fields(coach: Coach) -> tuple:
    return (
        coach.name,
        coach.role,
        coach.fte,
        coach.caseload_limit,
        coach.language,
        coach.active,
        coach.created_at,
    )


def _case_fields(case: Case) -> tuple:
    return (
        case.code,
        case.coach_id,
        case.backup_coach_id,
        case.phase,
        case.start_date,
        case.next_evaluation,
        case.end_date,
        case.safety_status,
        case.safety_date,
        case.referrer,
        case.last_contact,
    )


async def _coaches(session, config, clock, text: str) -> ImportReport:
    report = await import_coaches(session, text, config=config, now=clock.now())
    if report.ok:
        await session.commit()
    return report


async def _cases(session, clock, text: str) -> ImportReport:
    report = await import_cases(session, text, now=clock.now())
    if report.ok:
        await session.commit()
    return report


async def _case(session, code: str) -> Case:
    return await session.scalar(select(Case).where(Case.code == code))


# --- coaches --------------------------------------------------------------------------------------

TEAM = """\
name,role,fte,caseload_limit,language,active
Anna de Vries,coach,1.0,,,yes
Bram Jansen,teamlead,0.6,,en,yes
Carla Bakker,coach,0.8,9,nl,true
Dirk Smit,coach,0.3,,,
Pim Partner,partner,,,,no
"""
