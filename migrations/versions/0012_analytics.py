"""analytics: indexes for the follow-through queries.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_referral_event_milestones",
        "referral_event",
        ["referral_id", "to_status", "occurred_at", "outcome"],
    )
    op.create_index("ix_referral_created_at", "referral", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_referral_created_at", table_name="referral")
    op.drop_index("ix_referral_event_milestones", table_name="referral_event")
