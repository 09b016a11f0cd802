"""matching outcomes: no schema change.

``referral train`` learns from closed referrals without a snapshot table: it rebuilds
the factor values of each referred place from the client's dated facts (client_fact)
and assessments as of the referral day (see referral/matching/outcomes.py), and keeps
the fitted weights in the instance folder. The revision stays in the chain so later
revisions keep their numbers.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""

from collections.abc import Sequence

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
