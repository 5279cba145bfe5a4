"""The waitlist: referrals and the acceptance decision, the priority score and its reasons, and the
CSV import of an existing list."""
