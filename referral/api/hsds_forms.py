"""The list forms of HSDS 3.0 records and the page object that carries them.

Listing endpoints return the one-to-one fields only (compiled ``*_list.json``): a
service with its organization and program, a service-at-location with its location
and service. Fully nested records come from the exporter's serializers, so the API
and the HSDS package export can never disagree about a record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from referral.api.hsds_params import PageRequest
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
