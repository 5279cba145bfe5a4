"""Rosters: overrides, swap offers, absences and the outbox of scheduled messages.

Revision ID: 0002_rosters
Revises: 0001_foundation
Create Date: 2026-11-23 11:05:55.230083
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_rosters"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "sick",
                "leave",
                "training",
                "other",
                name="absencekind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coaches.id"], name=op.f("fk_absences_coach_id_coaches")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["coaches.id"], name=op.f("fk_absences_created_by_id_coaches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
    )
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absences_coach_id"), ["coach_id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "sending",
                "sent",
                "failed",
                "obsolete",
                name="outboxstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coaches.id"], name=op.f("fk_outbox_coach_id_coaches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_status_due_at", ["status", "due_at"], unique=False)

    op.create_table(
        "roster_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duty", sa.String(length=20), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("override", "swap", name="overridekind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coaches.id"], name=op.f("fk_roster_overrides_coach_id_coaches")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["coaches.id"],
            name=op.f("fk_roster_overrides_created_by_id_coaches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_overrides")),
    )
    with op.batch_alter_table("roster_overrides", schema=None) as batch_op:
        batch_op.create_index("ix_roster_overrides_duty_start", ["duty", "start"], unique=False)

    op.create_table(
        "swap_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duty", sa.String(length=20), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offered_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "taken", "withdrawn", name="swapstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("override_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["offered_by_id"], ["coaches.id"], name=op.f("fk_swap_offers_offered_by_id_coaches")
        ),
        sa.ForeignKeyConstraint(
            ["override_id"],
            ["roster_overrides.id"],
            name=op.f("fk_swap_offers_override_id_roster_overrides"),
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"], ["coaches.id"], name=op.f("fk_swap_offers_taken_by_id_coaches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_offers")),
    )
    with op.batch_alter_table("swap_offers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_swap_offers_offered_by_id"), ["offered_by_id"], unique=False
        )
        batch_op.create_index(
            "uq_swap_offers_open_shift",
            ["duty", "start"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "swap_offer_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["swap_offers.id"],
            name=op.f("fk_swap_offer_messages_offer_id_swap_offers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_offer_messages")),
    )
    with op.batch_alter_table("swap_offer_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_swap_offer_messages_offer_id"), ["offer_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("swap_offer_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_swap_offer_messages_offer_id"))

    op.drop_table("swap_offer_messages")
    with op.batch_alter_table("swap_offers", schema=None) as batch_op:
        batch_op.drop_index("uq_swap_offers_open_shift")
        batch_op.drop_index(batch_op.f("ix_swap_offers_offered_by_id"))

    op.drop_table("swap_offers")
    with op.batch_alter_table("roster_overrides", schema=None) as batch_op:
        batch_op.drop_index("ix_roster_overrides_duty_start")

    op.drop_table("roster_overrides")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_status_due_at")

    op.drop_table("outbox")
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absences_coach_id"))

    op.drop_table("absences")
