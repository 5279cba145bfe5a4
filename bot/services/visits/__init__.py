"""Safe home visits: announcing, checking out, extending, SOS, and what the scheduler does about a
visit that runs late."""
