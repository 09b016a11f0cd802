"""accounts: users, memberships, sessions, API tokens, security audit log

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-27 17:00:00

The security audit table is append-only at the database level too: triggers on
PostgreSQL and SQLite reject UPDATE and DELETE (and TRUNCATE on PostgreSQL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWARE = sa.DateTime(timezone=True)

PG_APPEND_ONLY = [
    """
    CREATE FUNCTION security_audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'security_audit_event is append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER security_audit_event_no_change
    BEFORE UPDATE OR DELETE ON security_audit_event
    FOR EACH ROW EXECUTE FUNCTION security_audit_event_append_only()
    """,
    """
    CREATE TRIGGER security_audit_event_no_truncate
    BEFORE TRUNCATE ON security_audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION security_audit_event_append_only()
    """,
]

SQLITE_APPEND_ONLY = [
    """
    CREATE TRIGGER security_audit_event_no_update BEFORE UPDATE ON security_audit_event
    BEGIN SELECT RAISE(ABORT, 'security_audit_event is append-only'); END
    """,
    """
    CREATE TRIGGER security_audit_event_no_delete BEFORE DELETE ON security_audit_event
    BEGIN SELECT RAISE(ABORT, 'security_audit_event is append-only'); END
    """,
]


def _id() -> sa.Column:
    return sa.Column("id", sa.String(length=36), nullable=False)


def _user_fk(name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["user_account.id"], name=op.f(name), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "user_account",
        _id(),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("password_changed_at", AWARE, nullable=False),
        sa.Column("last_login_at", AWARE, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "membership",
        _id(),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        _user_fk("fk_membership_user_id_user_account"),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_membership_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint(
            "user_id", "organization_id", "role", name=op.f("uq_membership_user_id")
        ),
    )
    op.create_index(op.f("ix_membership_user_id"), "membership", ["user_id"])
    op.create_index(op.f("ix_membership_organization_id"), "membership", ["organization_id"])
    op.create_table(
        "user_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("last_seen_at", AWARE, nullable=False),
        sa.Column("ended_at", AWARE, nullable=True),
        _user_fk("fk_user_session_user_id_user_account"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
    )
    op.create_index(op.f("ix_user_session_user_id"), "user_session", ["user_id"])
    op.create_table(
        "api_token",
        _id(),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("scopes", sa.String(length=200), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("last_used_at", AWARE, nullable=True),
        sa.Column("revoked_at", AWARE, nullable=True),
        _user_fk("fk_api_token_user_id_user_account"),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_api_token_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"])
    op.create_index(op.f("ix_api_token_organization_id"), "api_token", ["organization_id"])
    op.create_table(
        "security_audit_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", AWARE, nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("target_type", sa.String(length=64), nullable=True),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("ip_address", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_audit_event")),
    )
    for column in ("event_type", "user_id", "target_id"):
        op.create_index(op.f(f"ix_security_audit_event_{column}"), "security_audit_event", [column])
    dialect = op.get_bind().dialect.name
    statements = {"postgresql": PG_APPEND_ONLY, "sqlite": SQLITE_APPEND_ONLY}.get(dialect, [])
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE security_audit_event")
        op.execute("DROP FUNCTION security_audit_event_append_only()")
    else:
        op.drop_table("security_audit_event")
    for table in ("api_token", "user_session", "membership", "user_account"):
        op.drop_table(table)
