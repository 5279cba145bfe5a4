"""Placeholder: filled in by the rosters work (issue 3)."""

HANDLERS: list = []
