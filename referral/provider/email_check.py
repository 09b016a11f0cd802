"""Verifying that a user owns their email address: a signed, single-use link sent to
it. A verified address is what lets a claim approve itself on the email domain, so a
pending claim whose domain now matches is approved when the address is confirmed.

Plain functions over a Session; they never commit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from referral import links, notify
from referral.accounts import audit
from referral.accounts.models import User
from referral.provider import claims
from referral.provider.models import PENDING, OrganizationClaim

PURPOSE = "verify-email"
MAX_AGE = timedelta(hours=48)
EMAIL_VERIFIED = "email_verified"


def send_link(
    session: Session,
    user: User,
    link_for: Callable[[str], str],
    now: datetime,
    language: str = "en",
) -> None:
    """Queue the message; the token names the address, so changing it voids the link."""
    token = links.make_token(
        PURPOSE, user.id, max_age=MAX_AGE, extra={"email": user.email}, now=now
    )
    subject, body = notify.render(
        "verify-email",
        language,
        name=user.name,
        email=user.email,
        link=link_for(token),
        hours=int(MAX_AGE.total_seconds() // 3600),
    )
    notify.enqueue(
        session,
        channel="email",
        to=user.email,
        subject=subject,
        body=body,
        kind="verify-email",
        language=language,
        related_id=user.id,
        now=now,
    )


def check(session: Session, token: str, now: datetime) -> tuple[links.LinkClaim, User]:
    """The link's claim and user; raises links.LinkError when it cannot be used."""
    claim = links.read_token(session, token, PURPOSE, now=now)
    user = session.get(User, claim.subject_id)
    if user is None or not user.active or claim.extra.get("email") != user.email:
        raise links.LinkInvalid(_("This link was sent to an address this account no longer uses."))
    return claim, user


def confirm(
    session: Session, context: audit.Context, token: str, now: datetime
) -> tuple[User, list[OrganizationClaim]]:
    """Mark the address verified; returns the user and the claims this approved."""
    claim, user = check(session, token, now)
    links.use_token(session, claim, now=now)
    user.email_verified_at = now
    audit.record(session, context, EMAIL_VERIFIED, target=("user", user.id), email=user.email)
    approved = []
    for pending in claims.claims_of(session, user):
        if pending.status == PENDING and claims.domain_matches(
            user.email, pending.organization.website
        ):
            note = f"{claims.email_domain(user.email)} is the organization's web domain"
            claims.approve_by_domain(session, context, pending, note, now)
            approved.append(pending)
    return user, approved
