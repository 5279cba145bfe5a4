"""The waitlist: referred families waiting for a coach

Revision ID: 0005_waitlist
Revises: 0004_cases
Create Date: 2026-11-23 13:18:57.725929
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_waitlist"
down_revision: str | None = "0004_cases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "waitlist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("referral_date", sa.Date(), nullable=False),
        sa.Column("referrer", sa.String(length=120), nullable=True),
        sa.Column("complexity", sa.Integer(), nullable=False),
        sa.Column("cost_band", sa.Integer(), nullable=False),
        sa.Column(
            "concern",
            sa.Enum("none", "concern", "acute", name="concern", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("contact_coach_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "referred",
                "waiting",
                "declined",
                "intake",
                "withdrawn",
                name="entrystatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_waitlist_entries_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["contact_coach_id"],
            ["coaches.id"],
            name=op.f("fk_waitlist_entries_contact_coach_id_coaches"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["coaches.id"],
            name=op.f("fk_waitlist_entries_created_by_id_coaches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_entries")),
    )
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waitlist_entries_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_waitlist_entries_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_waitlist_entries_live_code",
            ["code"],
            unique=True,
            sqlite_where=sa.text("status IN ('referred', 'waiting')"),
            postgresql_where=sa.text("status IN ('referred', 'waiting')"),
        )


def downgrade() -> None:
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_waitlist_entries_live_code",
            sqlite_where=sa.text("status IN ('referred', 'waiting')"),
            postgresql_where=sa.text("status IN ('referred', 'waiting')"),
        )
        batch_op.drop_index(batch_op.f("ix_waitlist_entries_status"))
        batch_op.drop_index(batch_op.f("ix_waitlist_entries_code"))

    op.drop_table("waitlist_entries")
