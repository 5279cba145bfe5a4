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
