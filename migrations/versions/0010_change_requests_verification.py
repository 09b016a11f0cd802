"""change requests and verification: change_request, change_request_field,
verification_request.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_request",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("target_label", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("submitter_name", sa.String(length=200), nullable=True),
        sa.Column("submitter_email", sa.String(length=254), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "source IN ('public', 'user', 'verification')", name=op.f("ck_change_request_source")
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_change_request_status")),
        sa.CheckConstraint(
            "target_type IN ('service', 'organization', 'location')",
            name=op.f("ck_change_request_target"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_change_request_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_request")),
    )
    op.create_index(
        op.f("ix_change_request_target_id"), "change_request", ["target_id"], unique=False
    )
    op.create_index(op.f("ix_change_request_user_id"), "change_request", ["user_id"], unique=False)
    op.create_table(
        "verification_request",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_verification_request_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_request")),
    )
    op.create_index(
        op.f("ix_verification_request_organization_id"),
        "verification_request",
        ["organization_id"],
        unique=False,
    )
    op.create_table(
        "change_request_field",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("change_request_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=254), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overwrote", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "action IN ('add', 'edit', 'remove')", name=op.f("ck_change_request_field_action")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')",
            name=op.f("ck_change_request_field_status"),
        ),
        sa.ForeignKeyConstraint(
            ["change_request_id"],
            ["change_request.id"],
            name=op.f("fk_change_request_field_change_request_id_change_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_request_field")),
    )
    op.create_index(
        op.f("ix_change_request_field_change_request_id"),
        "change_request_field",
        ["change_request_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_change_request_field_change_request_id"), table_name="change_request_field"
    )
    op.drop_table("change_request_field")
    op.drop_index(
        op.f("ix_verification_request_organization_id"), table_name="verification_request"
    )
    op.drop_table("verification_request")
    op.drop_index(op.f("ix_change_request_user_id"), table_name="change_request")
    op.drop_index(op.f("ix_change_request_target_id"), table_name="change_request")
    op.drop_table("change_request")
