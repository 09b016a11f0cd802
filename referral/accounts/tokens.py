"""API tokens for machine clients: scoped, stored as a digest, revocable, shown once.

A token reads ``rfl_<random>``; the prefix makes leaked tokens easy to spot by secret
scanners. Clients send it as ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.accounts import audit, policy
from referral.accounts.models import ApiToken, User, utcnow
from referral.accounts.users import AccountError

TOKEN_PREFIX = "rfl_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_scopes(user: User, scopes: Iterable[str], organization_id: str | None) -> tuple[str, ...]:
    chosen = tuple(sorted(set(scopes)))
    if not chosen:
        raise AccountError("scopes", "choose at least one scope")
    unknown = [s for s in chosen if s not in policy.SCOPES]
    if unknown:
        raise AccountError(
            "scopes", f"unknown scope {unknown[0]!r}; use {', '.join(policy.SCOPES)}"
        )
    for scope in chosen:
        wanted = policy.SCOPE_ACTIONS[scope] - policy.TOKEN_BASE_ACTIONS
        if wanted and not any(policy.can(user, a, organization_id) for a in wanted):
            where = f" in organization {organization_id}" if organization_id else ""
            raise AccountError("scopes", f"you may not grant {scope}{where}: no role allows it")
    return chosen


def create_token(
    session: Session,
    context: audit.Context,
    user: User,
    name: str,
    scopes: Iterable[str],
    organization_id: str | None = None,
) -> tuple[ApiToken, str]:
    """The new token and its secret. The secret is not stored: show it now or never."""
    if not name.strip():
        raise AccountError("name", "give the token a name that says what uses it")
    chosen = check_scopes(user, scopes, organization_id)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip()[:200],
        token_hash=digest(secret),
        prefix=secret[:10],
        scopes=" ".join(chosen),
        organization_id=organization_id,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        context,
        audit.TOKEN_CREATED,
        target=("api_token", token.id),
        organization_id=organization_id,
        scopes=list(chosen),
    )
    return token, secret


def revoke_token(session: Session, context: audit.Context, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(session, context, audit.TOKEN_REVOKED, target=("api_token", token.id))


def authenticate_token(session: Session, secret: str) -> ApiToken | None:
    """The live token for ``secret``: not revoked, and its user still active."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(secret))).first()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    return token


def tokens_of(session: Session, user_id: str) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at)
    return list(session.scalars(query))
