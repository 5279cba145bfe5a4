import pytest

from bot.services.team.phones import normalise


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12345678", "+31612345678"),
        ("06-12345678", "+31612345678"),
        ("+31 6 1234 5678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("0546 123456", "+31546123456"),
        ("+32 470 12 34 56", "+32470123456"),
    ],
)
def test_numbers_are_stored_in_e164(typed, stored):
    assert normalise(typed) == stored


@pytest.mark.parametrize("typed", ["", "06", "12345", "call me", "06 1234567890123"])
def test_what_is_not_a_number_is_refused(typed):
    assert normalise(typed) is None
