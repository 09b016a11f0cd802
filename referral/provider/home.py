"""What the provider home page shows: the organizations a user manages, each with its
services (status, last verified, stale) and locations, and the user's claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from referral.accounts.models import PROVIDER_STAFF, User
from referral.directory.listing import is_stale
from referral.directory.models import Location, Organization, Service, ServiceAtLocation
from referral.provider import claims
from referral.provider.models import OrganizationClaim


@dataclass(frozen=True)
class ServiceRow:
    id: str
    name: str
    status: str
    alert: str | None
    assured_date: date | None
    stale: bool
    places: int


@dataclass(frozen=True)
class OrganizationPanel:
    organization: Organization
    services: list[ServiceRow]
    locations: list[Location]

    @property
    def stale_count(self) -> int:
        return sum(1 for s in self.services if s.stale)


@dataclass(frozen=True)
class ProviderHome:
    organizations: list[OrganizationPanel]
    claims: list[OrganizationClaim]


def managed_organization_ids(user: User) -> list[str]:
    return [
        m.organization_id
        for m in user.memberships
        if m.role == PROVIDER_STAFF and m.organization_id is not None
    ]


def provider_home(session: Session, user: User, today: date) -> ProviderHome:
    ids = managed_organization_ids(user)
    organizations = (
        session.scalars(
            select(Organization)
            .where(Organization.id.in_(ids))
            .options(
                selectinload(Organization.services).selectinload(Service.service_at_locations),
                selectinload(Organization.locations).selectinload(Location.addresses),
            )
            .order_by(Organization.name)
        ).all()
        if ids
        else []
    )
    panels = [_panel(org, today) for org in organizations]
    return ProviderHome(panels, claims.claims_of(session, user))


def _panel(organization: Organization, today: date) -> OrganizationPanel:
    services = sorted(organization.services, key=lambda s: (s.name.lower(), s.id))
    rows = [
        ServiceRow(
            s.id,
            s.name,
            s.status,
            s.alert,
            s.assured_date,
            is_stale(s.assured_date, today),
            len(s.service_at_locations),
        )
        for s in services
    ]
    locations = sorted(organization.locations, key=lambda loc: ((loc.name or "").lower(), loc.id))
    return OrganizationPanel(organization, rows, locations)


def place_label(sal: ServiceAtLocation) -> str:
    location = sal.location
    if location is None:
        return "?"
    address = location.addresses[0] if location.addresses else None
    where = f"{address.address_1}, {address.city}" if address else ""
    return " — ".join(p for p in (location.name, where) if p) or location.id
