"""Domain services: plain Python on a database session, no Telegram in here."""
