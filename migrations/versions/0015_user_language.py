"""user.language: the account's interface language ("en", "es"; NULL until the user
chooses one), so the choice follows them to another device and staff e-mails are
written in it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("user_account", sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+), as in 0014: a batch copy of user_account
    # would have to drop the table that sessions, tokens and memberships reference.
    op.drop_column("user_account", "language")
