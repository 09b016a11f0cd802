"""referral milestones: sent, first response, accepted and outcome times, and the
client's ZIP code and language when sent, kept on the referral row for analytics.

Existing referrals are filled in from their events (the earliest event of each kind)
and their client, in SQL that runs on SQLite and PostgreSQL alike.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWARE = sa.DateTime(timezone=True)
TIMES = ("sent_at", "first_response_at", "accepted_at", "outcome_at")
INDEXES = {
    "ix_referral_sent_at": ["sent_at"],
    "ix_referral_referrer_sent": ["referrer_organization_id", "sent_at"],
    "ix_referral_recipient_sent": ["recipient_organization_id", "sent_at"],
}


def upgrade() -> None:
    with op.batch_alter_table("referral") as batch:
        for name in TIMES:
            batch.add_column(sa.Column(name, AWARE, nullable=True))
        batch.add_column(sa.Column("client_zip", sa.String(5), nullable=True))
        batch.add_column(sa.Column("client_language", sa.String(20), nullable=True))
    _backfill()
    for name, columns in INDEXES.items():
        op.create_index(name, "referral", columns)


def _backfill() -> None:
    referral = sa.table(
        "referral",
        sa.column("id"),
        sa.column("client_id"),
        *(sa.column(name) for name in (*TIMES, "client_zip", "client_language")),
    )
    event = sa.table(
        "referral_event",
        sa.column("referral_id"),
        sa.column("to_status"),
        sa.column("outcome"),
        sa.column("occurred_at"),
    )
    client = sa.table(
        "client", sa.column("id"), sa.column("address"), sa.column("preferred_language")
    )

    def first(condition: sa.ColumnElement[bool]) -> sa.ScalarSelect:
        return (
            sa.select(sa.func.min(event.c.occurred_at))
            .where(event.c.referral_id == referral.c.id, condition)
            .scalar_subquery()
        )

    def of_client(value: sa.ColumnElement) -> sa.ScalarSelect:
        return sa.select(value).where(client.c.id == referral.c.client_id).scalar_subquery()

    op.execute(
        referral.update().values(
            sent_at=first(event.c.to_status == "requested"),
            first_response_at=first(event.c.to_status.in_(("accepted", "rejected"))),
            accepted_at=first(event.c.to_status == "accepted"),
            outcome_at=first(event.c.outcome.is_not(None)),
        )
    )
    op.execute(
        referral.update()
        .where(referral.c.sent_at.is_not(None))
        .values(
            client_zip=of_client(_zip(client.c.address)),
            client_language=of_client(client.c.preferred_language),
        )
    )


def _zip(address: sa.ColumnElement) -> sa.ColumnElement:
    """The 5-digit ZIP code ending an address (ZIP+4 cut to 5), else NULL: the rule of
    referral.referrals.models.zip_of_address, spelled in portable SQL."""
    text = sa.func.trim(address)
    size = sa.func.length(text)
    last5 = sa.func.substr(text, size - 4, 5)
    zip_plus4 = sa.func.substr(text, size - 9, 5)
    candidate = sa.case((sa.func.substr(text, size - 4, 1) == "-", zip_plus4), else_=last5)
    digits = sa.and_(*(sa.func.substr(candidate, i, 1).between("0", "9") for i in range(1, 6)))
    return sa.case((digits, candidate), else_=None)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="referral")
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of the referral table would
    # have to drop the table its events reference.
    for name in ("client_language", "client_zip", *reversed(TIMES)):
        op.drop_column("referral", name)
