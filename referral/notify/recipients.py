"""Who hears about a referral: the staff of an organization, the referring case manager."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.accounts.models import CASE_MANAGER, Membership, User
from referral.referrals.models import Referral


def members(session: Session, organization_id: str, roles: Iterable[str]) -> Sequence[User]:
    """Active users holding any of ``roles`` in the organization, each once, by email."""
    return session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == organization_id,
            Membership.role.in_(sorted(set(roles))),
            User.active.is_(True),
        )
        .distinct()
        .order_by(User.email)
    ).all()


def referrer_side(session: Session, referral: Referral) -> Sequence[User]:
    """The case manager who sent the referral, or, when that account is gone or disabled,
    the case managers of the referring organization (someone must follow up)."""
    if referral.referrer_id is not None:
        user = session.get(User, referral.referrer_id)
        if user is not None and user.active:
            return [user]
    return members(session, referral.referrer_organization_id, [CASE_MANAGER])
