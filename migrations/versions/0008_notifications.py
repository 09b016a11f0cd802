"""notifications: the outbox, used one-click links, referral reminders given

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("to_address", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("related_id", sa.String(36), nullable=True),
        sa.Column("dedupe_key", sa.String(255), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", AWARE, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("sent_at", AWARE, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_message"),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_message_dedupe_key"),
    )
    for column in ("kind", "related_id", "status", "next_attempt_at"):
        op.create_index(f"ix_outbox_message_{column}", "outbox_message", [column])
    op.create_table(
        "used_link",
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(60), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("used_at", AWARE, nullable=False),
        sa.PrimaryKeyConstraint("nonce", name="pk_used_link"),
    )
    op.create_index("ix_used_link_subject_id", "used_link", ["subject_id"])
    op.create_table(
        "referral_reminder",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("referral_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name="fk_referral_reminder_referral_id_referral",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_referral_reminder"),
        sa.UniqueConstraint("referral_id", "kind", name="uq_referral_reminder_referral_id"),
    )
    op.create_index("ix_referral_reminder_referral_id", "referral_reminder", ["referral_id"])


def downgrade() -> None:
    op.drop_index("ix_referral_reminder_referral_id", table_name="referral_reminder")
    op.drop_table("referral_reminder")
    op.drop_index("ix_used_link_subject_id", table_name="used_link")
    op.drop_table("used_link")
    for column in ("next_attempt_at", "status", "related_id", "kind"):
        op.drop_index(f"ix_outbox_message_{column}", table_name="outbox_message")
    op.drop_table("outbox_message")
