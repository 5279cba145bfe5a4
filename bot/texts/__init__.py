"""Everything that turns domain facts into a message: pure functions of service results and a
translator, so the wording can change without touching a decision."""
