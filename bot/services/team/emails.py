"""Members' e-mail addresses (staff data, never family data). Only the shape is checked: the
address is for people to write to and for a second channel to send to, and whether a mailbox
exists shows when something is sent."""

from __future__ import annotations

import re

MAX_LENGTH = 254  # RFC 5321's limit on a forward path, and the column's width
# One @, something before it, a dotted domain after it, no spaces or brackets anywhere.
_SHAPE = re.compile(r"^[^\s@<>()\[\],;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def normalise(raw: str) -> str | None:
    """ "Anna@Gemeente.NL " → "Anna@gemeente.nl" (the domain lower case, the local part as
    written: some mail servers tell case apart there); None when it is not an address."""
    text = raw.strip()
    if len(text) > MAX_LENGTH or not _SHAPE.match(text):
        return None
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"
