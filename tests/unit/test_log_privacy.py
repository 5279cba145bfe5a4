"""A failing insert logs no case data at INFO or above: not its SQL parameters (hidden by the
engine) nor the database's own detail (hidden by the log filter)."""

import io
import logging
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from bot.models import Case, Phase, SafetyStatus
from bot.operations.log_privacy import HideExceptionText

SECRET_CODE = "GZ-GEHEIM-77"
SECRET_REFERRER = "Wijkagent Geheimstraat"


def _case() -> Case:
    return Case(
        code=SECRET_CODE,
        phase=Phase.EVALUATIE,
        start_date=date(2026, 3, 2),
        safety_status=SafetyStatus.VEILIG_THUIS,
        referrer=SECRET_REFERRER,
    )


async def test_a_failing_insert_leaves_no_case_data_in_the_log(sessionmaker):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(HideExceptionText())
    log = logging.getLogger("achtervang.test.privacy")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        async with sessionmaker() as session:
            session.add(_case())
            await session.commit()
        async with sessionmaker() as session:
            session.add(_case())
            with pytest.raises(IntegrityError) as failed:
                await session.commit()
        # The engine hides the statement's parameters from the exception itself.
        assert SECRET_REFERRER not in str(failed.value)
        assert "hidden" in str(failed.value)
        try:
            raise RuntimeError("wrapped") from failed.value
        except RuntimeError:
            log.exception("storing a case failed")
        log.error("plain line with %s", "an argument")
    finally:
        log.removeHandler(handler)
    written = stream.getvalue()
    assert "storing a case failed [RuntimeError" in written
    assert "IntegrityError" in written
    assert "plain line with an argument" in written
    for secret in (SECRET_CODE, SECRET_REFERRER, "Traceback"):
        assert secret not in written


def test_the_operators_log_handler_hides_exception_text():
    from bot.operations.log_setup import configure_logging

    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    for fmt in ("text", "json"):
        stream = io.StringIO()
        configure_logging("INFO", fmt, stream=stream)
        try:
            raise ValueError(f"case {SECRET_CODE}: {SECRET_REFERRER}")
        except ValueError:
            logging.getLogger("bot.test").exception("a handler failed")
        written = stream.getvalue()
        assert "a handler failed" in written and "ValueError" in written
        assert SECRET_CODE not in written and SECRET_REFERRER not in written
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in before[0]:
        root.addHandler(handler)
    root.setLevel(before[1])
