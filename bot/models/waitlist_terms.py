"""The waitlist's vocabulary, shared by the model, the priority rules and the texts."""

from __future__ import annotations

import enum


class Concern(enum.StrEnum):
    NONE = "none"
    CONCERN = "concern"
    # Domestic violence or an acute crisis never waits: it becomes an alert and an intake.
    ACUTE = "acute"


class EntryStatus(enum.StrEnum):
    REFERRED = "referred"  # waiting for the team's acceptance decision (norm: 24 hours)
    WAITING = "waiting"  # accepted, on the list
    DECLINED = "declined"  # not accepted onto the list
    INTAKE = "intake"  # moved into a coach's caseload
    WITHDRAWN = "withdrawn"
