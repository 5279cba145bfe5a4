"""Members' phone numbers (staff data, never family data): stored in E.164 so that every
phone can dial them, whatever way they were typed."""

from __future__ import annotations

import phonenumbers

# Numbers typed without a country code are Dutch ("06 12345678").
DEFAULT_REGION = "NL"


def normalise(raw: str) -> str | None:
    """+31612345678 for "06-12345678", "+31 6 1234 5678" or "0031612345678"; None when it is
    not a valid phone number."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def for_sheet(e164: str) -> str:
    """ "06 12345678" for a Dutch number: a spreadsheet keeps it as text (a leading + would
    start a formula, and 0612345678 would lose its 0). Other countries' numbers stay
    international."""
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
