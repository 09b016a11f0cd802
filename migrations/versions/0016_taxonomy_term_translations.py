"""taxonomy_term_translation: taxonomy term names and descriptions in other languages.

HSDS 3.0 gives a term one ``language``; this table keeps the same term's name in the
reader's language (the project's own taxonomy in Spanish), beside the HSDS tables and
never exported. The sample's translations are loaded with the sample (``referral seed``).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "taxonomy_term_translation",
        sa.Column("taxonomy_term_id", sa.String(36), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["taxonomy_term_id"],
            ["taxonomy_term.id"],
            name="fk_taxonomy_term_translation_taxonomy_term_id_taxonomy_term",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "taxonomy_term_id", "language", name="pk_taxonomy_term_translation"
        ),
    )


def downgrade() -> None:
    op.drop_table("taxonomy_term_translation")
