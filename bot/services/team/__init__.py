"""Team members: coaches and partners by name, their phone numbers, invite codes and linking a
Telegram account."""
