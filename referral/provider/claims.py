"""Claiming an organization: a signed-in user asks to manage its listings.

A claim approves itself when the user's *verified* email address is at the
organization's own web domain (or a subdomain of it), unless that domain is a mail
service anyone can sign up for. Every other claim waits for a curator. Approval grants
the provider-staff role in the organization; several people may hold it.

Plain functions over a Session; they never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from referral.accounts import audit, users
from referral.accounts.models import PROVIDER_STAFF, User
from referral.directory.models import Organization
from referral.provider.models import (
    APPROVED,
    BY_CURATOR,
    BY_DOMAIN,
    PENDING,
    REJECTED,
    OrganizationClaim,
)

GENERIC_DOMAINS_FILE = Path(__file__).parent / "data" / "generic_mail_domains.txt"
MAX_MESSAGE = 2000
CLAIM_APPROVED = "claim_approved"
CLAIM_REJECTED = "claim_rejected"


class ClaimError(ValueError):
    """A claim that cannot be made or decided; ``field`` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@cache
def generic_mail_domains() -> frozenset[str]:
    lines = GENERIC_DOMAINS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def _within(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def is_generic(domain: str) -> bool:
    return any(_within(domain, generic) for generic in generic_mail_domains())


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def website_domain(website: str | None) -> str | None:
    """'https://www.Harbor.org/about' -> 'harbor.org'; None when there is no usable host."""
    text = (website or "").strip()
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        host = (urlsplit(text).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    host = host.removeprefix("www.")
    return host if "." in host else None


def domain_matches(email: str, website: str | None) -> bool:
    """True when the address is at the website's domain or one of its subdomains, and
    neither is a public mail service. A parent domain does not count: staff of
    city.gov do not manage foodbank.city.gov's listing by their address alone."""
    site, mail = website_domain(website), email_domain(email)
    if not site or not mail or is_generic(site) or is_generic(mail):
        return False
    return _within(mail, site)


def is_staff(user: User, organization_id: str) -> bool:
    return any(
        m.organization_id == organization_id and m.role == PROVIDER_STAFF for m in user.memberships
    )


@dataclass(frozen=True)
class ClaimOutcome:
    claim: OrganizationClaim
    # True when the claim approved itself on the verified email domain.
    automatic: bool


def open_claim(session: Session, user: User, organization_id: str) -> OrganizationClaim | None:
    return session.scalars(
        select(OrganizationClaim).where(
            OrganizationClaim.user_id == user.id,
            OrganizationClaim.organization_id == organization_id,
            OrganizationClaim.status == PENDING,
        )
    ).first()


def request_claim(
    session: Session,
    context: audit.Context,
    user: User,
    organization: Organization,
    message: str,
    now: datetime,
) -> ClaimOutcome:
    """Record the claim, approving it at once when the verified email domain matches."""
    if is_staff(user, organization.id):
        raise ClaimError("organization", _("You already manage this organization."))
    if open_claim(session, user, organization.id) is not None:
        raise ClaimError(
            "organization", _("Your request for this organization is waiting for review.")
        )
    message = message.strip()
    if len(message) > MAX_MESSAGE:
        raise ClaimError(
            "message", _("Keep the note under %(limit)d characters.", limit=MAX_MESSAGE)
        )
    claim = OrganizationClaim(
        organization_id=organization.id, user_id=user.id, message=message or None, created_at=now
    )
    claim.organization, claim.user = organization, user
    session.add(claim)
    automatic = user.email_verified_at is not None and domain_matches(
        user.email, organization.website
    )
    if automatic:
        note = f"{email_domain(user.email)} is the organization's web domain"
        _decide(session, context, claim, APPROVED, BY_DOMAIN, "automatic", note, now)
    session.flush()
    return ClaimOutcome(claim, automatic)


def approve(
    session: Session,
    context: audit.Context,
    claim: OrganizationClaim,
    curator: str,
    now: datetime,
    note: str = "",
) -> None:
    _check_pending(claim)
    _decide(session, context, claim, APPROVED, BY_CURATOR, curator, note.strip() or None, now)


def approve_by_domain(
    session: Session, context: audit.Context, claim: OrganizationClaim, note: str, now: datetime
) -> None:
    _check_pending(claim)
    _decide(session, context, claim, APPROVED, BY_DOMAIN, "automatic", note, now)


def reject(
    session: Session,
    context: audit.Context,
    claim: OrganizationClaim,
    curator: str,
    now: datetime,
    note: str = "",
) -> None:
    _check_pending(claim)
    if not note.strip():
        raise ClaimError("note", _("Say why, so the person knows what to do next."))
    _decide(session, context, claim, REJECTED, BY_CURATOR, curator, note.strip(), now)


def _check_pending(claim: OrganizationClaim) -> None:
    if claim.status != PENDING:
        raise ClaimError("claim", _("This request was already %(status)s.", status=claim.status))


def _decide(
    session: Session,
    context: audit.Context,
    claim: OrganizationClaim,
    status: str,
    method: str,
    by: str,
    note: str | None,
    now: datetime,
) -> None:
    claim.status, claim.decision_method = status, method
    claim.decided_by, claim.decided_at, claim.decision_note = by, now, note
    if status == APPROVED:
        users.grant_role(session, context, claim.user, PROVIDER_STAFF, claim.organization_id)
    event = CLAIM_APPROVED if status == APPROVED else CLAIM_REJECTED
    audit.record(
        session,
        context,
        event,
        target=("organization_claim", claim.id),
        organization_id=claim.organization_id,
        user=claim.user.email,
        method=method,
    )


def pending_claims(session: Session) -> list[OrganizationClaim]:
    query = (
        select(OrganizationClaim)
        .where(OrganizationClaim.status == PENDING)
        .options(selectinload(OrganizationClaim.organization), selectinload(OrganizationClaim.user))
        .order_by(OrganizationClaim.created_at, OrganizationClaim.id)
    )
    return list(session.scalars(query))


def recent_decisions(session: Session, limit: int = 20) -> list[OrganizationClaim]:
    query = (
        select(OrganizationClaim)
        .where(OrganizationClaim.status != PENDING)
        .options(selectinload(OrganizationClaim.organization), selectinload(OrganizationClaim.user))
        .order_by(OrganizationClaim.decided_at.desc(), OrganizationClaim.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def claims_of(session: Session, user: User) -> list[OrganizationClaim]:
    query = (
        select(OrganizationClaim)
        .where(OrganizationClaim.user_id == user.id)
        .options(selectinload(OrganizationClaim.organization))
        .order_by(OrganizationClaim.created_at.desc(), OrganizationClaim.id)
    )
    return list(session.scalars(query))
