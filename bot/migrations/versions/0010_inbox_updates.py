"""The durable inbox: updates stored before Telegram is told they arrived

Revision ID: 0010_inbox_updates
Revises: 0009_visits
Create Date: 2026-11-26 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_inbox_updates"
down_revision: str | None = "0009_visits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replays", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbox_updates")),
    )
    op.create_index("ix_inbox_updates_handled_at", "inbox_updates", ["handled_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_updates_handled_at", table_name="inbox_updates")
    op.drop_table("inbox_updates")
