"""referral pages: assessments a case manager ran on the match page for a client.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessment",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("location", sa.String(200), nullable=True),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.String(36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name="fk_assessment_client_id_client", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name="fk_assessment_created_by_id_user_account",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assessment"),
    )
    op.create_index("ix_assessment_client_id", "assessment", ["client_id"])
    op.create_index("ix_assessment_created_at", "assessment", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_assessment_created_at", table_name="assessment")
    op.drop_index("ix_assessment_client_id", table_name="assessment")
    op.drop_table("assessment")
