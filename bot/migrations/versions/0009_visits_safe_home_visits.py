"""Safe home visits: visits and their last shared location, safety alerts (alerts.kind),
and a phone number per member

Revision ID: 0009_visits
Revises: 0008_standby_conversation_state
Create Date: 2026-11-26 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_visits"
down_revision: str | None = "0008_standby_conversation_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coaches") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=10), server_default="crisis", nullable=False)
        )
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("case_code", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expected_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "running", "ended", name="visitstatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_how", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coaches.id"], name=op.f("fk_visits_coach_id_coaches")
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_visits_alert_id_alerts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    op.create_index(op.f("ix_visits_coach_id"), "visits", ["coach_id"])
    op.create_index("ix_visits_status_next_at", "visits", ["status", "next_at"])
    op.create_table(
        "visit_locations",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_visit_locations_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_visit_locations")),
    )


def downgrade() -> None:
    op.drop_table("visit_locations")
    op.drop_index("ix_visits_status_next_at", table_name="visits")
    op.drop_index(op.f("ix_visits_coach_id"), table_name="visits")
    op.drop_table("visits")
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("coaches") as batch:
        batch.drop_column("phone")
