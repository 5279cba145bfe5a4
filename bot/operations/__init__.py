"""Running in production: leadership between instances, health, metrics, heartbeat."""
