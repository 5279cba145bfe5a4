"""Absence and backup: reporting sickness or leave, offering each family of an absent coach to a
backup coach in rounds, and who covers whom."""
