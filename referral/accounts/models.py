"""Accounts: users, their roles in organizations, sessions, API tokens and the
append-only security audit log.

Curator and system admin are directory-wide roles: their membership rows have no
organization. The other roles are held in one organization each, and a user can
hold a role in several organizations.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship

from referral.db import Base
from referral.directory.models import new_id

CASE_MANAGER = "case_manager"
PROVIDER_STAFF = "provider_staff"
AGENCY_ADMIN = "agency_admin"
CURATOR = "curator"
SYSTEM_ADMIN = "system_admin"

ORGANIZATION_ROLES = (CASE_MANAGER, PROVIDER_STAFF, AGENCY_ADMIN)
GLOBAL_ROLES = (CURATOR, SYSTEM_ADMIN)
ROLES = ORGANIZATION_ROLES + GLOBAL_ROLES


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when the user opened a signed link sent to this address (referral.provider.email);
    # cleared if the address changes. Claims approve themselves on verified domains only.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The interface language the user chose ("en" or "es", see referral.i18n.LANGUAGES);
    # None until they choose, and then pages follow the browser. Staff e-mails use it.
    language: Mapped[str | None] = mapped_column(String(8))
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )

    # Set for the length of one request when the user is authenticated by an API token
    # (an ApiToken); not a column.
    api_token = None

    # Flask-Login's user protocol, without importing Flask into the model.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return self.id


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organization_id", "role"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user: Mapped[User] = relationship(back_populates="memberships")


class UserSession(Base):
    """A login. The signed cookie only names it, so logout and disabling a user end
    it on the server, and the idle timeout is measured here."""

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A machine client's credential. Only a SHA-256 digest of the secret is kept:
    the secret is 256 random bits, so a slow hash adds nothing."""

    __tablename__ = "api_token"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user: Mapped[User] = relationship()

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


class SecurityAuditEvent(Base):
    """Append-only: the ORM guards below and database triggers (migration 0003)
    reject every UPDATE and DELETE. No foreign keys, so rows outlive what they name."""

    __tablename__ = "security_audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    event_type: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[str | None] = mapped_column(String(36), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    target_type: Mapped[str | None] = mapped_column(String(64))
    target_id: Mapped[str | None] = mapped_column(String(64), index=True)
    organization_id: Mapped[str | None] = mapped_column(String(36))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AppendOnlyViolation(Exception):
    """Raised when code tries to change or remove a security audit row."""


def _reject_change(_mapper: Any, _connection: Any, target: SecurityAuditEvent) -> None:
    raise AppendOnlyViolation(f"security audit event {target.id} cannot be changed or deleted")


event.listen(SecurityAuditEvent, "before_update", _reject_change)
event.listen(SecurityAuditEvent, "before_delete", _reject_change)


@event.listens_for(Session, "do_orm_execute")
def _reject_bulk_change(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) == SecurityAuditEvent.__tablename__:
        raise AppendOnlyViolation("security audit events cannot be updated or deleted")
