"""curation: duplicate candidates (the review queue) and curators' decisions

Revision ID: 0006
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)
ENTITY_CHECK = "entity IN ('organization', 'service', 'location')"


def _pair_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("a_id", sa.String(36), nullable=False),
        sa.Column("b_id", sa.String(36), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "duplicate_candidate",
        *_pair_columns(),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(255), nullable=True),
        sa.Column("decided_at", AWARE, nullable=True),
        sa.Column("detected_at", AWARE, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_duplicate_candidate"),
        sa.UniqueConstraint("entity", "a_id", "b_id", name="uq_duplicate_candidate_pair"),
        sa.CheckConstraint(ENTITY_CHECK, name="ck_duplicate_candidate_entity"),
        sa.CheckConstraint(
            "status IN ('open', 'merged', 'not-duplicate')", name="ck_duplicate_candidate_status"
        ),
        sa.CheckConstraint("a_id < b_id", name="ck_duplicate_candidate_ordered"),
    )
    op.create_index("ix_duplicate_candidate_a_id", "duplicate_candidate", ["a_id"])
    op.create_index("ix_duplicate_candidate_b_id", "duplicate_candidate", ["b_id"])
    op.create_table(
        "duplicate_decision",
        *_pair_columns(),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(255), nullable=False),
        sa.Column("decided_at", AWARE, nullable=False),
        sa.Column("note", sa.String(1000), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_duplicate_decision"),
        sa.UniqueConstraint("entity", "a_id", "b_id", name="uq_duplicate_decision_pair"),
        sa.CheckConstraint(ENTITY_CHECK, name="ck_duplicate_decision_entity"),
        sa.CheckConstraint(
            "decision IN ('merged', 'not-duplicate')", name="ck_duplicate_decision_decision"
        ),
        sa.CheckConstraint("a_id < b_id", name="ck_duplicate_decision_ordered"),
    )
    op.create_index("ix_duplicate_decision_a_id", "duplicate_decision", ["a_id"])
    op.create_index("ix_duplicate_decision_b_id", "duplicate_decision", ["b_id"])


def downgrade() -> None:
    op.drop_table("duplicate_decision")
    op.drop_table("duplicate_candidate")
