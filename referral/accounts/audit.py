"""The security audit log: logins, failures, role changes, token use, and every
read of a client record. Rows are only ever added (see models.SecurityAuditEvent).

Functions here take a Session and add a row; the caller's transaction commits it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.accounts.models import SecurityAuditEvent, User

LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGIN_RATE_LIMITED = "login_rate_limited"
LOGOUT = "logout"
SESSIONS_ENDED = "sessions_ended"
SESSION_EXPIRED = "session_expired"
PASSWORD_CHANGED = "password_changed"
USER_CREATED = "user_created"
USER_DISABLED = "user_disabled"
ROLE_GRANTED = "role_granted"
ROLE_REVOKED = "role_revoked"
TOKEN_CREATED = "token_created"
TOKEN_REVOKED = "token_revoked"
TOKEN_USED = "token_used"
TOKEN_REJECTED = "token_rejected"
ACCESS_DENIED = "access_denied"
CLIENT_RECORD_READ = "client_record_read"


@dataclass(frozen=True)
class Context:
    """Who is acting and from where; the request layer fills it in, the CLI says 'cli'."""

    actor: str = "system"
    user_id: str | None = None
    ip_address: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, user: User | None, ip_address: str | None = None) -> Context:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(actor="anonymous", ip_address=ip_address)
        return cls(actor=user.email, user_id=user.id, ip_address=ip_address)


def record(
    session: Session,
    context: Context,
    event_type: str,
    *,
    target: tuple[str, str | None] | None = None,
    organization_id: str | None = None,
    **detail: Any,
) -> SecurityAuditEvent:
    target_type, target_id = target or (None, None)
    row = SecurityAuditEvent(
        event_type=event_type,
        actor=context.actor,
        user_id=context.user_id,
        ip_address=context.ip_address,
        target_type=target_type,
        target_id=target_id,
        organization_id=organization_id,
        detail={**context.extra, **detail},
    )
    session.add(row)
    return row


def record_client_read(
    session: Session, context: Context, client_id: str, organization_id: str | None
) -> SecurityAuditEvent:
    """Call on every read of a client record (ASVS 7.1.3 / 8.3.5: access to sensitive data)."""
    return record(
        session,
        context,
        CLIENT_RECORD_READ,
        target=("client", client_id),
        organization_id=organization_id,
    )


def recent(
    session: Session,
    *,
    limit: int = 100,
    before_id: int | None = None,
    event_type: str | None = None,
) -> Sequence[SecurityAuditEvent]:
    query = select(SecurityAuditEvent).order_by(SecurityAuditEvent.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(SecurityAuditEvent.id < before_id)
    if event_type:
        query = query.where(SecurityAuditEvent.event_type == event_type)
    return session.scalars(query).all()
