"""Foundation: coaches, cases, invite codes, enrolment lockouts and the audit trail.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-23 08:41:00.995309
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_foundation"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coaches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "coach", "teamlead", "partner", "admin", name="role", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("fte", sa.Float(), nullable=False),
        sa.Column("caseload_limit", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaches")),
        sa.UniqueConstraint("name", name=op.f("uq_coaches_name")),
        sa.UniqueConstraint("telegram_user_id", name=op.f("uq_coaches_telegram_user_id")),
    )
    op.create_table(
        "enrolment_lockouts",
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("telegram_user_id", name=op.f("pk_enrolment_lockouts")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_coach_id", sa.Integer(), nullable=True),
        sa.Column("actor_telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_coach_id"], ["coaches.id"], name=op.f("fk_audit_events_actor_coach_id_coaches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("backup_coach_id", sa.Integer(), nullable=True),
        sa.Column(
            "phase",
            sa.Enum(
                "aanmelding",
                "intake",
                "plan",
                "uitvoering",
                "evaluatie",
                "afsluiting",
                name="phase",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("next_evaluation", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column(
            "safety_status",
            sa.Enum(
                "not_assessed",
                "assessed",
                "safety_plan",
                "veilig_thuis",
                name="safetystatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("safety_date", sa.Date(), nullable=True),
        sa.Column("referrer", sa.String(length=120), nullable=True),
        sa.Column("last_contact", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["backup_coach_id"], ["coaches.id"], name=op.f("fk_cases_backup_coach_id_coaches")
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coaches.id"], name=op.f("fk_cases_coach_id_coaches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("code", name=op.f("uq_cases_code")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cases_backup_coach_id"), ["backup_coach_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cases_coach_id"), ["coach_id"], unique=False)

    op.create_table(
        "invite_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coaches.id"],
            name=op.f("fk_invite_codes_coach_id_coaches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_invite_codes_code_hash")),
    )
    with op.batch_alter_table("invite_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invite_codes_coach_id"), ["coach_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("invite_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invite_codes_coach_id"))

    op.drop_table("invite_codes")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_coach_id"))
        batch_op.drop_index(batch_op.f("ix_cases_backup_coach_id"))

    op.drop_table("cases")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))

    op.drop_table("audit_events")
    op.drop_table("enrolment_lockouts")
    op.drop_table("coaches")
