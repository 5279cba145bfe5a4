"""Case contacts from the field and backup covers during absences

Revision ID: 0004_cases
Revises: 0003_alerts
Create Date: 2026-11-23 13:01:13.955716
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_cases"
down_revision: str | None = "0003_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_contacts_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coaches.id"], name=op.f("fk_case_contacts_coach_id_coaches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_contacts")),
    )
    with op.batch_alter_table("case_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_contacts_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_covers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("absence_id", sa.Integer(), nullable=True),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "asked",
                "accepted",
                "declined",
                "expired",
                "cancelled",
                "released",
                name="coverstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outbox_key", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["absence_id"], ["absences.id"], name=op.f("fk_case_covers_absence_id_absences")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_covers_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coaches.id"], name=op.f("fk_case_covers_coach_id_coaches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_covers")),
    )
    with op.batch_alter_table("case_covers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_covers_absence_id"), ["absence_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_covers_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_covers_coach_id"), ["coach_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_covers_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_case_covers_live",
            ["case_id", "absence_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('asked', 'accepted')"),
            postgresql_where=sa.text("status IN ('asked', 'accepted')"),
        )


def downgrade() -> None:
    with op.batch_alter_table("case_covers", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_case_covers_live",
            sqlite_where=sa.text("status IN ('asked', 'accepted')"),
            postgresql_where=sa.text("status IN ('asked', 'accepted')"),
        )
        batch_op.drop_index(batch_op.f("ix_case_covers_status"))
        batch_op.drop_index(batch_op.f("ix_case_covers_coach_id"))
        batch_op.drop_index(batch_op.f("ix_case_covers_case_id"))
        batch_op.drop_index(batch_op.f("ix_case_covers_absence_id"))

    op.drop_table("case_covers")
    with op.batch_alter_table("case_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_contacts_case_id"))

    op.drop_table("case_contacts")
