"""referrals: clients, client facts, consents, referrals, referral events

Revision ID: 0005
Revises: 0003

Follows 0003 because clients, consents and referrals name users (user_account).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.String(36), nullable=False)


def _fk(table: str, column: str, target: str, ondelete: str | None = None):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def _user(table: str, column: str) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    return sa.Column(column, sa.String(36), nullable=True), _fk(
        table, column, "user_account", "SET NULL"
    )


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    _client()
    _client_children()
    op.create_table(
        "referral_setting",
        sa.Column("organization_id", sa.String(36), nullable=False),
        sa.Column("respond_within_business_days", sa.Integer(), nullable=False),
        _fk("referral_setting", "organization_id", "organization", "CASCADE"),
        sa.PrimaryKeyConstraint("organization_id", name="pk_referral_setting"),
    )
    _referral()
    _referral_event()


def _client() -> None:
    created_by = _user("client", "created_by_id")
    op.create_table(
        "client",
        _id(),
        sa.Column("organization_id", sa.String(36), nullable=False),
        sa.Column("given_name", sa.String(200), nullable=False),
        sa.Column("family_name", sa.String(200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(50), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("preferred_language", sa.String(20), nullable=True),
        sa.Column("contact_preference", sa.String(20), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        *created_by,
        _fk("client", "organization_id", "organization", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_client"),
    )
    _index("client", "organization_id", "birth_date")


def _client_children() -> None:
    op.create_table(
        "client_duplicate",
        _id(),
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column("possible_duplicate_id", sa.String(36), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("flagged_at", AWARE, nullable=False),
        _fk("client_duplicate", "client_id", "client", "CASCADE"),
        _fk("client_duplicate", "possible_duplicate_id", "client", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_client_duplicate"),
        sa.UniqueConstraint(
            "client_id", "possible_duplicate_id", name="uq_client_duplicate_client_id"
        ),
    )
    _index("client_duplicate", "client_id", "possible_duplicate_id")
    op.create_table(
        "client_fact",
        _id(),
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", AWARE, nullable=False),
        *_user("client_fact", "recorded_by_id"),
        _fk("client_fact", "client_id", "client", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_client_fact"),
    )
    _index("client_fact", "client_id")
    op.create_table(
        "consent",
        _id(),
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column("recipient_organization_ids", sa.JSON(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.String(40), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("method", sa.String(20), nullable=False),
        *_user("consent", "obtained_by_id"),
        sa.Column("recorded_at", AWARE, nullable=False),
        sa.Column("revoked_at", AWARE, nullable=True),
        *_user("consent", "revoked_by_id"),
        sa.Column("revocation_reason", sa.Text(), nullable=True),
        _fk("consent", "client_id", "client", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_consent"),
    )
    _index("consent", "client_id")


def _referral() -> None:
    op.create_table(
        "referral",
        _id(),
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column("need_code", sa.String(64), nullable=False),
        sa.Column("service_at_location_id", sa.String(36), nullable=False),
        *_user("referral", "referrer_id"),
        sa.Column("referrer_organization_id", sa.String(36), nullable=False),
        sa.Column("recipient_organization_id", sa.String(36), nullable=False),
        sa.Column("consent_id", sa.String(36), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=True),
        sa.Column("enrollment", sa.String(20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("respond_by", AWARE, nullable=True),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("updated_at", AWARE, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("referral", "client_id", "client"),
        _fk("referral", "service_at_location_id", "service_at_location"),
        _fk("referral", "referrer_organization_id", "organization"),
        _fk("referral", "recipient_organization_id", "organization"),
        _fk("referral", "consent_id", "consent"),
        sa.PrimaryKeyConstraint("id", name="pk_referral"),
        sa.UniqueConstraint(
            "referrer_organization_id",
            "idempotency_key",
            name="uq_referral_referrer_organization_id",
        ),
    )
    _index(
        "referral",
        "client_id",
        "service_at_location_id",
        "referrer_organization_id",
        "recipient_organization_id",
        "status",
    )


def _referral_event() -> None:
    op.create_table(
        "referral_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("referral_id", sa.String(36), nullable=False),
        sa.Column("occurred_at", AWARE, nullable=False),
        sa.Column("actor_id", sa.String(36), nullable=True),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(30), nullable=True),
        sa.Column("enrollment", sa.String(20), nullable=True),
        _fk("referral_event", "referral_id", "referral"),
        sa.PrimaryKeyConstraint("id", name="pk_referral_event"),
    )
    _index("referral_event", "referral_id")


def downgrade() -> None:
    for table in (
        "referral_event",
        "referral",
        "referral_setting",
        "consent",
        "client_fact",
        "client_duplicate",
        "client",
    ):
        op.drop_table(table)
