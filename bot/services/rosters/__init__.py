"""Standby rosters: who holds which duty when (rotations, overrides, swaps, absences in force), what
coaches type about rosters, the iCalendar file and the team lead's report."""
