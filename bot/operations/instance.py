"""Who this process is. Outbox claims carry this id, so that recovery can tell a claim of an
instance that is gone from one a live instance is still sending."""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
from datetime import timedelta

# Readable in the database (host and pid), unique across restarts (the random part).
ID = f"{socket.gethostname()[:80]}/{os.getpid()}/{secrets.token_hex(4)}"

# How long a claim stands after its owner is gone: a send already written to Telegram by an
# instance that lost its database connection ends within PTB's request timeouts.
CLAIM_LEASE = timedelta(seconds=15)


def lock_key(instance_id: str) -> int:
    """The PostgreSQL advisory lock an instance holds while it lives (signed 64 bits)."""
    digest = hashlib.sha256(f"achtervang-instance:{instance_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
