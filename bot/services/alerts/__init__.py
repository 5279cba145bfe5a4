"""Crisis alerts: intake of a /crisis, routing to whoever is on duty, escalation, taking and
declining, closing with an outcome, and acute safety raised from any path."""
