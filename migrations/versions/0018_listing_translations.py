"""service_translation: a service's client-facing text in other languages.

HSDS 3.0 gives a listing one language; this table keeps the provider's own wording of
the fields a client reads (name, description, eligibility, fees, how to apply) in
another language, one row per field, beside the HSDS tables and never exported. The
downgrade drops the table and with it the translations: they exist nowhere else.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_translation",
        sa.Column("service_id", sa.String(36), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name="fk_service_translation_service_id_service",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "language", "field", name="pk_service_translation"),
    )


def downgrade() -> None:
    op.drop_table("service_translation")
