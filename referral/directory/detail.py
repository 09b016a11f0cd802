"""Everything a case manager needs about one service or organization, as plain data.

Each detail costs a fixed set of queries (one per relationship, via ``selectinload``),
so a service with many locations renders as fast as one with a single location.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from referral.directory import hours, listing
from referral.directory.listing import AddressView, PhoneView, address_view, phone_view
from referral.directory.models import (
    Attribute,
    Contact,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
)


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None  # None when the address is not a web or mail link we can trust


@dataclass(frozen=True)
class ContactView:
    name: str | None
    title: str | None
    department: str | None
    email: str | None
    phones: tuple[PhoneView, ...]


@dataclass(frozen=True)
class LocationView:
    id: str
    name: str | None
    description: str | None
    addresses: tuple[AddressView, ...]
    phones: tuple[PhoneView, ...]
    accessibility: tuple[str, ...]
    transportation: str | None
    languages: tuple[str, ...]
    hours: hours.WeeklyHours
    contacts: tuple[ContactView, ...]


@dataclass(frozen=True)
class CostView:
    option: str | None
    amount: str | None
    description: str | None


@dataclass(frozen=True)
class CapacityView:
    available: float
    maximum: float | None
    unit: str
    description: str | None
    updated: datetime


@dataclass(frozen=True)
class TermView:
    id: str
    name: str
    code: str | None


@dataclass(frozen=True)
class OrganizationRef:
    id: str
    name: str
    website: Link | None


@dataclass(frozen=True)
class ServiceDetail:
    id: str
    name: str
    alternate_name: str | None
    description: str | None
    status: str
    alert: str | None
    organization: OrganizationRef | None
    program: str | None
    website: Link | None
    email: str | None
    phones: tuple[PhoneView, ...]
    eligibility_description: str | None
    minimum_age: int | None
    maximum_age: int | None
    fees_description: str | None
    cost_options: tuple[CostView, ...]
    application_process: str | None
    wait_time: str | None
    required_documents: tuple[Link, ...]
    languages: tuple[str, ...]
    interpretation_services: str | None
    hours: hours.WeeklyHours
    locations: tuple[LocationView, ...]
    contacts: tuple[ContactView, ...]
    service_areas: tuple[str, ...]
    taxonomy_terms: tuple[TermView, ...]
    capacities: tuple[CapacityView, ...]
    assured_date: date | None
    stale: bool


@dataclass(frozen=True)
class OrganizationDetail:
    id: str
    name: str
    alternate_name: str | None
    description: str
    website: Link | None
    email: str | None
    phones: tuple[PhoneView, ...]
    services: tuple[listing.ServiceSummary, ...]
    locations: tuple[LocationView, ...]


def web_link(url: str | None) -> Link | None:
    """A link only for http(s) addresses, so listing data can never inject javascript: URLs."""
    if not url or not url.strip():
        return None
    text = url.strip()
    candidate = text if "://" in text else f"https://{text}"
    parts = urlsplit(candidate)
    safe = parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in parts.netloc
    return Link(text, candidate if safe else None)


def _language_names(languages: Sequence[Language]) -> tuple[str, ...]:
    names = {name for lang in languages if (name := lang.name or lang.code)}
    return tuple(sorted(names, key=str.lower))


def _contact_view(contact: Contact) -> ContactView:
    return ContactView(
        contact.name,
        contact.title,
        contact.department,
        contact.email,
        tuple(phone_view(p) for p in contact.phones),
    )


def phone_views(phones: Sequence[Phone]) -> tuple[PhoneView, ...]:
    """Each number once: exports often repeat a number on the service and its location."""
    seen: set[tuple[str, int | None]] = set()
    views = []
    for phone in phones:
        key = ("".join(ch for ch in phone.number if ch.isdigit()) or phone.number, phone.extension)
        if key not in seen:
            seen.add(key)
            views.append(phone_view(phone))
    return tuple(views)


def _location_view(
    location: Location, sal: ServiceAtLocation | None, today: date, repeats: str | None = None
) -> LocationView:
    """A location as seen from one service: its own hours win over the location's.

    ``repeats`` is text already on the page (the service description), not shown twice.
    """
    schedules = (sal.schedules if sal else []) or location.schedules
    phones = [*(sal.phones if sal else []), *location.phones]
    contacts = [*(sal.contacts if sal else []), *location.contacts]
    physical_first = sorted(location.addresses, key=lambda a: a.address_type != "physical")
    return LocationView(
        id=location.id,
        name=location.name,
        description=_unless_repeated(
            (sal.description if sal else None) or location.description, repeats
        ),
        addresses=tuple(address_view(a) for a in physical_first),
        phones=phone_views(phones),
        accessibility=tuple(
            " — ".join(t for t in (a.description, a.details) if t)
            for a in location.accessibility
            if a.description or a.details
        ),
        transportation=location.transportation,
        languages=_language_names(location.languages),
        hours=hours.weekly_hours(schedules, today),
        contacts=tuple(_contact_view(c) for c in contacts),
    )


def _unless_repeated(text: str | None, shown: str | None) -> str | None:
    if text and shown and text.strip() == shown.strip():
        return None
    return text


def _amount(amount: float | None, currency: str | None) -> str | None:
    if amount is None:
        return None
    if not currency or currency.upper() == "USD":
        return f"${amount:,.2f}"
    return f"{amount:,.2f} {currency.upper()}"


def _document_link(document: RequiredDocument) -> Link:
    link = web_link(document.uri)
    return Link(document.document or document.uri or "", link.href if link else None)


def _capacity_view(capacity: ServiceCapacity) -> CapacityView:
    return CapacityView(
        capacity.available,
        capacity.maximum,
        capacity.unit.name,
        capacity.description,
        capacity.updated,
    )


_LOCATION_PARTS = (
    Location.addresses,
    Location.phones,
    Location.schedules,
    Location.languages,
    Location.accessibility,
    Location.contacts,
)


def _location_loads(path):  # type: ignore[no-untyped-def]
    return path.options(
        *(selectinload(part) for part in _LOCATION_PARTS),
        selectinload(Location.contacts).selectinload(Contact.phones),
    )


SERVICE_LOADS = (
    selectinload(Service.organization),
    selectinload(Service.program),
    selectinload(Service.phones),
    selectinload(Service.schedules),
    selectinload(Service.languages),
    selectinload(Service.cost_options),
    selectinload(Service.required_documents),
    selectinload(Service.service_areas),
    selectinload(Service.contacts).selectinload(Contact.phones),
    selectinload(Service.capacities).selectinload(ServiceCapacity.unit),
    selectinload(Service.service_at_locations).options(
        selectinload(ServiceAtLocation.phones),
        selectinload(ServiceAtLocation.schedules),
        selectinload(ServiceAtLocation.contacts).selectinload(Contact.phones),
    ),
    _location_loads(
        selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location)
    ),
)


def taxonomy_terms(session: Session, service_id: str) -> tuple[TermView, ...]:
    tagged = select(Attribute.taxonomy_term_id).where(
        Attribute.link_entity == "service", Attribute.link_id == service_id
    )
    query = (
        select(TaxonomyTerm)
        .where(TaxonomyTerm.id.in_(tagged))
        .order_by(func.lower(TaxonomyTerm.name), TaxonomyTerm.id)
    )
    return tuple(TermView(t.id, t.name, t.code) for t in session.scalars(query))


def service_detail(session: Session, service_id: str, today: date) -> ServiceDetail | None:
    """The service with ``service_id``, or None when there is none."""
    query = select(Service).where(Service.id == service_id).options(*SERVICE_LOADS)
    service = session.scalars(query).one_or_none()
    if service is None:
        return None
    org = service.organization
    return ServiceDetail(
        id=service.id,
        name=service.name,
        alternate_name=service.alternate_name,
        description=service.description,
        status=service.status,
        alert=service.alert,
        organization=OrganizationRef(org.id, org.name, web_link(org.website)) if org else None,
        program=service.program.name if service.program else None,
        website=web_link(service.url),
        email=service.email,
        phones=phone_views(service.phones),
        eligibility_description=service.eligibility_description,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        fees_description=service.fees_description or service.fees,
        cost_options=tuple(
            CostView(c.option, _amount(c.amount, c.currency), c.amount_description)
            for c in service.cost_options
        ),
        application_process=service.application_process,
        wait_time=service.wait_time,
        required_documents=tuple(
            _document_link(d) for d in service.required_documents if d.document or d.uri
        ),
        languages=_language_names(service.languages),
        interpretation_services=service.interpretation_services,
        hours=hours.weekly_hours(service.schedules, today),
        locations=tuple(
            _location_view(sal.location, sal, today, repeats=service.description)
            for sal in service.service_at_locations
            if sal.location is not None
        ),
        contacts=tuple(_contact_view(c) for c in service.contacts),
        service_areas=tuple(
            text for a in service.service_areas if (text := a.name or a.description)
        ),
        taxonomy_terms=taxonomy_terms(session, service.id),
        capacities=tuple(_capacity_view(c) for c in service.capacities),
        assured_date=service.assured_date,
        stale=listing.is_stale(service.assured_date, today),
    )


def organization_detail(
    session: Session, organization_id: str, today: date
) -> OrganizationDetail | None:
    """The organization with all its services (any status) and locations, or None."""
    query = (
        select(Organization)
        .where(Organization.id == organization_id)
        .options(
            selectinload(Organization.phones),
            _location_loads(selectinload(Organization.locations)),
            selectinload(Organization.services).options(*listing.SUMMARY_LOADS[1:]),
        )
    )
    org = session.scalars(query).one_or_none()
    if org is None:
        return None
    services = sorted(org.services, key=lambda s: (s.name.lower(), s.id))
    locations = sorted(org.locations, key=lambda loc: ((loc.name or "").lower(), loc.id))
    return OrganizationDetail(
        id=org.id,
        name=org.name,
        alternate_name=org.alternate_name,
        description=org.description,
        website=web_link(org.website),
        email=org.email,
        phones=phone_views(org.phones),
        services=tuple(listing.summarize(s, today) for s in services),
        locations=tuple(
            _location_view(loc, None, today, repeats=org.description) for loc in locations
        ),
    )
