"""The forms of HSDS 3.0 records the API returns, and the page object that carries them.

Listing endpoints return the one-to-one fields only (compiled ``*_list.json``): a
service with its organization and program, a service-at-location with its location
and service. Fully nested records (single records, and listings with ``full=true``)
come from the exporter's serializers, so the API and the HSDS package export can
never disagree about a record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from referral.api.hsds_params import PageRequest
from referral.directory.hsds_export import loading
from referral.directory.hsds_export.serialize import (
    Links,
    serialize_organization,
    serialize_service,
    serialize_service_at_location,
)
from referral.directory.hsds_export.tables import BY_NAME, record
from referral.directory.models import (
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

HSDS_VERSION = "3.0"
# Where a reader finds what this API implements: the HSDS 3.0 specification itself
# (no profile narrows it).
PROFILE_URL = "https://docs.openreferral.org/en/3.0/hsds/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"


def page_object(contents: Sequence[Any], total: int, page: PageRequest) -> dict[str, Any]:
    """The HSDS ``Page``; ``size`` is the number of records on this page, as the spec says."""
    total_pages = -(-total // page.per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page.page,
        "size": len(contents),
        "first_page": page.page == 1,
        "last_page": page.page >= total_pages,
        "empty": total == 0,
        "contents": list(contents),
    }


def organization_item(org: Organization) -> dict[str, Any]:
    return record(BY_NAME["organization"], org)


def service_item(service: Service) -> dict[str, Any]:
    item = record(BY_NAME["service"], service)
    if service.organization is not None:
        item["organization"] = organization_item(service.organization)
    if service.program is not None:
        item["program"] = record(BY_NAME["program"], service.program)
    return item


def service_at_location_item(sal: ServiceAtLocation) -> dict[str, Any]:
    item = record(BY_NAME["service_at_location"], sal)
    if sal.location is not None:
        item["location"] = record(BY_NAME["location"], sal.location)
    if sal.service is not None:
        item["service"] = service_item(sal.service)
    return item


def taxonomy_item(taxonomy: Taxonomy) -> dict[str, Any]:
    return record(BY_NAME["taxonomy"], taxonomy)


def taxonomy_term_item(term: TaxonomyTerm) -> dict[str, Any]:
    item = record(BY_NAME["taxonomy_term"], term)
    if term.taxonomy_detail is not None:
        item["taxonomy_detail"] = taxonomy_item(term.taxonomy_detail)
    return item


Json = dict[str, Any]
ToItems = Callable[[Sequence[Any]], list[Json]]


def each(to_item: Callable[[Any], Json]) -> ToItems:
    return lambda items: [to_item(item) for item in items]


def sal_options() -> list[Any]:
    """Everything a fully nested service-at-location shows, loaded up front."""
    return [
        selectinload(ServiceAtLocation.contacts),
        selectinload(ServiceAtLocation.phones),
        selectinload(ServiceAtLocation.schedules),
        loading.location_options(ServiceAtLocation.location),
        selectinload(ServiceAtLocation.service).options(*loading.service_options(locations=False)),
    ]


def organization_options() -> list[Any]:
    return [*loading.organization_options(), selectinload(Organization.services)]


def full(session: Session, kind: str) -> ToItems:
    """Fully nested records for a listing page (``full=true``): one batch of eager
    loads for the page, and one shared ``Links`` so attributes cost a few queries."""
    model, options, serialize = FULL[kind]

    def to_items(items: Sequence[Any]) -> list[Json]:
        ids = [item.id for item in items]
        query = select(model).where(model.id.in_(ids)).options(*options())
        loaded = {row.id: row for row in session.scalars(query)}
        links = Links()
        out = [serialize(loaded[i], links) for i in ids if i in loaded]
        links.resolve(session)
        return out

    return to_items


def _organization_with_services(org: Organization, links: Links | None = None) -> Json:
    return serialize_organization(org, links, services=True)


# kind -> (model, its eager loads, its serializer)
FULL: dict[str, tuple[Any, Callable[[], list[Any]], Callable[[Any, Links], Json]]] = {
    "service": (Service, loading.service_options, serialize_service),
    "service_at_location": (ServiceAtLocation, sal_options, serialize_service_at_location),
    "organization": (Organization, organization_options, _organization_with_services),
}
