"""Families' cases: need-to-know access, look-up and cards, the team lead's case tools, caseloads,
who may hold a family, reminders and retention of closed cases."""
