"""Demo users, one per role, for ``referral demo``. Demo only: the passwords are
published in docs/security.md, so never run this against real data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.accounts import audit, users
from referral.accounts.models import (
    AGENCY_ADMIN,
    CASE_MANAGER,
    CURATOR,
    PROVIDER_STAFF,
    SYSTEM_ADMIN,
    User,
)
from referral.directory.models import Organization


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str
    password: str
    # Index into the organizations sorted by name; None for directory-wide roles.
    organization: int | None


DEMO_USERS = (
    DemoUser(
        "casemanager@demo.invalid", "Casey Manager", CASE_MANAGER, "demo-case-manager-pass", 0
    ),
    DemoUser(
        "provider@demo.invalid", "Pat Provider", PROVIDER_STAFF, "demo-provider-staff-pass", 1
    ),
    DemoUser("agencyadmin@demo.invalid", "Alex Admin", AGENCY_ADMIN, "demo-agency-admin-pass", 0),
    DemoUser("curator@demo.invalid", "Cory Curator", CURATOR, "demo-curator-pass", None),
    DemoUser("sysadmin@demo.invalid", "Sam Sysadmin", SYSTEM_ADMIN, "demo-system-admin-pass", None),
)


def create_demo_users(session: Session) -> list[User]:
    """The demo users that did not exist yet, now created. Organization roles go to
    the first organizations by name (provider staff to the second, when there is one),
    and are skipped when the directory is empty."""
    organizations = list(
        session.scalars(select(Organization.id).order_by(Organization.name).limit(2))
    )
    context = audit.Context(actor="demo")
    created = []
    for demo in DEMO_USERS:
        if users.find_user(session, demo.email) is not None:
            continue
        user = users.create_user(session, context, demo.email, demo.name, demo.password)
        org = _pick(organizations, demo.organization)
        if demo.organization is None or org is not None:
            users.grant_role(session, context, user, demo.role, org)
        created.append(user)
    return created


def _pick(organizations: list[str], index: int | None) -> str | None:
    if index is None or not organizations:
        return None
    return organizations[min(index, len(organizations) - 1)]
