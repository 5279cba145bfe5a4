"""Every text the bot or the CLI can show must exist, translated, in Dutch and English."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import LANGUAGES, translator
from bot.i18n_catalog import extract_source_catalog, is_translated, read_language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_source_text_is_translated(language):
    catalog = read_language(language)
    problems = []
    for source in extract_source_catalog():
        if not source.id:
            continue
        entry = catalog.get(source.id)
        if entry is None:
            problems.append(f"missing: {source.id!r} (run python -m bot.i18n_catalog)")
        elif not is_translated(entry):
            problems.append(f"untranslated: {source.id!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    catalog = read_language(language)
    errors = [(m.id, [str(e) for e in errs]) for m, errs in catalog.check() if errs]
    assert not errors


def test_dutch_is_the_default_and_english_is_chosen_by_code():
    tz = ZoneInfo("Europe/Amsterdam")
    assert translator(None, tz)._("What you can do:") == "Wat je kunt doen:"
    assert translator("fr", tz).language == "nl"
    assert translator("en-GB", tz)._("What you can do:") == "What you can do:"


def test_times_are_shown_in_amsterdam_time_across_dst():
    nl = translator("nl", ZoneInfo("Europe/Amsterdam"))
    # 29 March 2026, 01:30 UTC is after the switch to summer time (02:00 → 03:00 local).
    assert nl.time(datetime(2026, 3, 29, 0, 30, tzinfo=UTC)) == "01:30"
    assert nl.time(datetime(2026, 3, 29, 1, 30, tzinfo=UTC)) == "03:30"
    # 25 October 2026: 00:30 and 01:30 UTC are both 02:30 local, in summer and winter time.
    assert nl.time(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == "02:30"
    assert nl.time(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == "02:30"
    assert nl.date(datetime(2026, 10, 25).date(), "long") == "25 oktober 2026"
