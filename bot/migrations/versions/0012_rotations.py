"""The rota in the database: rotations and their members, previewed rota changes, roster
plans and their shifts, and each coach's workdays

Revision ID: 0012_rotations
Revises: 0011_contacts_feeds
Create Date: 2026-11-26 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_rotations"
down_revision: str | None = "0011_contacts_feeds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coaches") as batch:
        batch.add_column(sa.Column("workdays", sa.String(length=27), nullable=True))
    op.create_table(
        "rotations",
        sa.Column("duty", sa.String(length=20), nullable=False),
        sa.Column("shift", sa.String(length=8), nullable=False),
        sa.Column("handover", sa.String(length=5), nullable=True),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["coaches.id"], name=op.f("fk_rotations_updated_by_id_coaches")
        ),
        sa.PrimaryKeyConstraint("duty", name=op.f("pk_rotations")),
    )
    op.create_table(
        "rotation_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duty", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotation_members")),
    )
    op.create_index("ix_rotation_members_duty_position", "rotation_members", ["duty", "position"])
    op.create_table(
        "rota_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("duty", sa.String(length=20), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "applied",
                "cancelled",
                "stale",
                name="rotachangestatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["coaches.id"], name=op.f("fk_rota_changes_lead_id_coaches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rota_changes")),
    )
    op.create_table(
        "roster_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "approved",
                "discarded",
                name="planstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["coaches.id"],
            name=op.f("fk_roster_plans_approved_by_id_coaches"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["coaches.id"], name=op.f("fk_roster_plans_created_by_id_coaches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_plans")),
    )
    op.create_table(
        "roster_plan_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("duty", sa.String(length=20), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coaches.id"], name=op.f("fk_roster_plan_shifts_coach_id_coaches")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["roster_plans.id"],
            name=op.f("fk_roster_plan_shifts_plan_id_roster_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_plan_shifts")),
    )
    op.create_index(
        op.f("ix_roster_plan_shifts_plan_id"), "roster_plan_shifts", ["plan_id"], unique=False
    )
    op.create_index("ix_roster_plan_shifts_start", "roster_plan_shifts", ["start"])


def downgrade() -> None:
    op.drop_index("ix_roster_plan_shifts_start", table_name="roster_plan_shifts")
    op.drop_index(op.f("ix_roster_plan_shifts_plan_id"), table_name="roster_plan_shifts")
    op.drop_table("roster_plan_shifts")
    op.drop_table("roster_plans")
    op.drop_table("rota_changes")
    op.drop_index("ix_rotation_members_duty_position", table_name="rotation_members")
    op.drop_table("rotation_members")
    op.drop_table("rotations")
    with op.batch_alter_table("coaches") as batch:
        batch.drop_column("workdays")
