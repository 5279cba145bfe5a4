"""The audit trail: what is recorded, its CSV export for the privacy officer, and refusals on record
without letting a flood fill it."""
