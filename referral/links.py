"""Signed links that do one thing without a login: "accept this referral", "confirm
this listing is current", "verify this email address".

A token names its purpose, a subject (the referral, listing or user it is about), an
expiry and a random nonce, signed with the app's SECRET_KEY and a salt per purpose
(itsdangerous), so a token made for one purpose is worthless for another. Single use
is recorded in the ``used_link`` table keyed by the nonce: of two simultaneous uses
only one can insert its row.

    token = make_token("referral-respond", referral.id, max_age=timedelta(days=7),
                       extra={"user": staff.id, "action": "accept"})
    claim = read_token(session, token, "referral-respond")   # raises LinkError
    use_token(session, claim)                                 # raises LinkUsed
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from referral.accounts.models import aware, utcnow
from referral.notify.models import UsedLink

SALT_PREFIX = "referral.link."


class LinkError(Exception):
    """A link that cannot be used; ``message`` is written for the person who clicked."""

    status = 400
    message = "This link cannot be used."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message


class LinkInvalid(LinkError):
    message = "This link is not valid. It may have been copied incompletely or changed."


class LinkExpired(LinkError):
    status = 410
    message = "This link has expired."


class LinkUsed(LinkError):
    status = 410
    message = "This link has already been used."


@dataclass(frozen=True)
class LinkClaim:
    """What a valid, unexpired, unused token says."""

    purpose: str
    subject_id: str
    nonce: str
    issued_at: datetime
    expires_at: datetime
    extra: dict[str, Any] = field(default_factory=dict)


def make_token(
    purpose: str,
    subject_id: str,
    *,
    max_age: timedelta,
    extra: dict[str, Any] | None = None,
    now: datetime | None = None,
    secret_key: str | None = None,
) -> str:
    """A URL-safe token for ``purpose`` about ``subject_id``, valid for ``max_age``.
    ``extra`` must be JSON-serializable; it is signed, not encrypted: no secrets in it."""
    if max_age <= timedelta(0):
        raise ValueError("max_age must be positive")
    issued = now or utcnow()
    payload = {
        "s": subject_id,
        "n": secrets.token_urlsafe(12),
        "i": int(issued.timestamp()),
        "e": int((issued + max_age).timestamp()),
        "x": extra or {},
    }
    return str(_serializer(purpose, secret_key).dumps(payload))


def read_token(
    session: Session,
    token: str,
    purpose: str,
    *,
    now: datetime | None = None,
    secret_key: str | None = None,
) -> LinkClaim:
    """The claim of a token made for ``purpose``. Raises :class:`LinkInvalid` (tampered,
    truncated, made for another purpose or with another key), :class:`LinkExpired` or
    :class:`LinkUsed`. Reading changes nothing."""
    try:
        payload = _serializer(purpose, secret_key).loads(token)
        claim = LinkClaim(
            purpose=purpose,
            subject_id=str(payload["s"]),
            nonce=str(payload["n"]),
            issued_at=datetime.fromtimestamp(int(payload["i"]), UTC),
            expires_at=datetime.fromtimestamp(int(payload["e"]), UTC),
            extra=dict(payload.get("x") or {}),
        )
    except (BadSignature, KeyError, TypeError, ValueError):
        raise LinkInvalid() from None
    if (now or utcnow()) >= claim.expires_at:
        raise LinkExpired()
    used = session.get(UsedLink, claim.nonce)
    if used is not None:
        raise LinkUsed(_used_message(used))
    return claim


def use_token(session: Session, claim: LinkClaim, *, now: datetime | None = None) -> UsedLink:
    """Mark the link used, in the caller's transaction (flushed, not committed). A
    second use, even one racing this one in another transaction, raises LinkUsed."""
    row = UsedLink(
        nonce=claim.nonce,
        purpose=claim.purpose,
        subject_id=claim.subject_id,
        used_at=now or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise LinkUsed() from None
    return row


def token_digest(token: str) -> str:
    """A short fingerprint of a token, for logs (never log the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def _used_message(used: UsedLink) -> str:
    when = aware(used.used_at).strftime("%Y-%m-%d %H:%M UTC")
    return f"This link was already used on {when}."


def _serializer(purpose: str, secret_key: str | None) -> URLSafeSerializer:
    if not purpose:
        raise ValueError("a link needs a purpose")
    return URLSafeSerializer(secret_key or _app_secret(), salt=SALT_PREFIX + purpose)


def _app_secret() -> str:
    from flask import current_app, has_app_context

    if not has_app_context():
        raise RuntimeError("signed links need the app's SECRET_KEY: call inside an app context")
    return str(current_app.config["SECRET_KEY"])
