"""Crisis alerts keep when the reporter wrote them, and whether they arrived late

Revision ID: 0006_crisisinput_written_at
Revises: 0005_waitlist
Create Date: 2026-11-26 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_crisisinput_written_at"
down_revision: str | None = "0005_waitlist"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("written_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("arrived_late", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("arrived_late")
        batch_op.drop_column("written_at")
