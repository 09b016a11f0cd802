"""The Open Referral HSDS 3.0 API under ``/hsds``.

Endpoints and parameters follow the official ``openapi.json`` of HSDS 3.0: listings
return a ``Page`` object whose ``contents`` hold the list forms of the compiled
schemas (fully nested records with ``full=true``; every record, unpaged, one per line
with ``format=ndjson``); single records are fully nested. ``proximity`` is in metres from the
centroid of ``postcode``, as the specification says. Bad parameters get a 400
problem+json naming the field; unknown records a 404 problem+json.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from flask import Blueprint, Response, current_app, request, stream_with_context
from sqlalchemy.orm import Session

from referral import db
from referral.api import hsds_forms as forms
from referral.api import hsds_params as params
from referral.api import hsds_queries as queries
from referral.api import hsds_search
from referral.api.hsds_forms import Json, ToItems
from referral.api.hsds_params import PageRequest
from referral.api.hsds_queries import Found, ServiceFilters, TermFilters
from referral.api.problems import InvalidParameter, Problem
from referral.directory.hsds_export import loading
from referral.directory.hsds_export.serialize import (
    serialize_organization,
    serialize_service,
    serialize_service_at_location,
    serialize_taxonomy,
    serialize_taxonomy_term,
)
from referral.directory.models import (
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from referral.search.api import get_index

bp = Blueprint("hsds", __name__, url_prefix="/hsds")

# ndjson streams every result; it reads the table this many records at a time.
NDJSON_BATCH = 500

Fetch = Callable[[PageRequest], Found[Any]]


@bp.get("/")
def info() -> Response:
    return _json(
        {
            "version": forms.HSDS_VERSION,
            "profile": forms.PROFILE_URL,
            "openapi_url": forms.OPENAPI_URL,
        }
    )


@bp.get("/services")
def list_services() -> Response:
    session, args = db.session(), request.args
    filters = service_filters(session, args)
    search = params.text(args, "search")
    to_items = _items(session, "service", forms.service_item)
    if search:
        index = get_index(current_app)
        return _listing(
            lambda page: hsds_search.services(session, index, search, filters, page), to_items
        )
    return _listing(lambda page: queries.services(session, filters, page), to_items)


@bp.get("/services/<record_id>")
def get_service(record_id: str) -> Response:
    service = _get(Service, record_id, "service", loading.service_options())
    return _json(serialize_service(service))


@bp.get("/organizations")
def list_organizations() -> Response:
    session, search = db.session(), params.text(request.args, "search")
    to_items = _items(session, "organization", forms.organization_item)
    return _listing(lambda page: queries.organizations(session, search, page), to_items)


@bp.get("/organizations/<record_id>")
def get_organization(record_id: str) -> Response:
    """With ``services`` as one-to-one fields, or fully nested when ``full_service=true``."""
    full = params.boolean(request.args, "full_service")
    organization = _get(Organization, record_id, "organization", forms.organization_options())
    if not full:
        return _json(serialize_organization(organization, services=True))
    body = serialize_organization(organization)
    body["services"] = forms.full(db.session(), "service")(organization.services)
    return _json(body)


@bp.get("/service_at_locations")
def list_service_at_locations() -> Response:
    session, args = db.session(), request.args
    filters = service_filters(session, args)
    place = hsds_search.Place.from_args(args)
    search = params.text(args, "search")

    def fetch(page: PageRequest) -> Found[Any]:
        if search or place:
            index = get_index(current_app)
            return hsds_search.service_at_locations(session, index, search, place, filters, page)
        return queries.service_at_locations(session, filters, page)

    to_items = _items(session, "service_at_location", forms.service_at_location_item)
    return _listing(fetch, to_items)


@bp.get("/service_at_locations/<record_id>")
def get_service_at_location(record_id: str) -> Response:
    sal = _get(ServiceAtLocation, record_id, "service_at_location", forms.sal_options())
    return _json(serialize_service_at_location(sal))


@bp.get("/taxonomies")
def list_taxonomies() -> Response:
    session, search = db.session(), params.text(request.args, "search")
    to_items = forms.each(forms.taxonomy_item)
    return _listing(lambda page: queries.taxonomies(session, search, page), to_items)


@bp.get("/taxonomies/<record_id>")
def get_taxonomy(record_id: str) -> Response:
    return _json(serialize_taxonomy(_get(Taxonomy, record_id, "taxonomy")))


@bp.get("/taxonomy_terms")
def list_taxonomy_terms() -> Response:
    session, args = db.session(), request.args
    filters = TermFilters(
        search=params.text(args, "search"),
        taxonomy_id=_known_id(session, args, "taxonomy_id", Taxonomy, "taxonomy"),
        parent_id=_known_id(session, args, "parent_id", TaxonomyTerm, "taxonomy term"),
        top_only=params.boolean(args, "top_only"),
    )
    return _listing(
        lambda page: queries.taxonomy_terms(session, filters, page),
        forms.each(forms.taxonomy_term_item),
    )


@bp.get("/taxonomy_terms/<record_id>")
def get_taxonomy_term(record_id: str) -> Response:
    term = _get(TaxonomyTerm, record_id, "taxonomy_term")
    return _json(serialize_taxonomy_term(term))


def service_filters(session: Session, args: Mapping[str, str]) -> ServiceFilters:
    term_ids: frozenset[str] | None = None
    raw_terms = params.text(args, "taxonomy_term_id", max_length=2000)
    if raw_terms:
        term_ids = frozenset()
        for term_id in (part.strip() for part in raw_terms.split(",") if part.strip()):
            if not queries.exists(session, TaxonomyTerm, term_id):
                raise InvalidParameter("taxonomy_term_id", f"no taxonomy term has id {term_id!r}")
            term_ids |= queries.term_with_descendants(session, term_id)
    return ServiceFilters(
        taxonomy_term_ids=term_ids,
        taxonomy_id=_known_id(session, args, "taxonomy_id", Taxonomy, "taxonomy"),
        organization_id=_known_id(session, args, "organization_id", Organization, "organization"),
        modified_after=params.timestamp(args, "modified_after"),
    )


def _known_id(
    session: Session, args: Mapping[str, str], name: str, model: type[Any], label: str
) -> str | None:
    value = params.text(args, name)
    if value and not queries.exists(session, model, value):
        raise InvalidParameter(name, f"no {label} has id {value!r}")
    return value


def _get(model: type[Any], record_id: str, label: str, options: Sequence[Any] = ()) -> Any:
    found = db.session().get(model, record_id, options=options)
    if found is None:
        raise Problem(404, "Not Found", f"no {label} has id {record_id!r}")
    return found


def _items(session: Session, kind: str, to_item: Callable[[Any], Json]) -> ToItems:
    """List forms, or fully nested records when the client asks ``full=true``."""
    return (
        forms.full(session, kind) if params.boolean(request.args, "full") else forms.each(to_item)
    )


def _listing(fetch: Fetch, to_items: ToItems) -> Response:
    """A Page of records; with ``format=ndjson`` every record, one per line, unpaged."""
    if params.output_format(request.args) == "ndjson":
        return Response(
            stream_with_context(_ndjson(fetch, to_items)), mimetype="application/x-ndjson"
        )
    page = params.page_request(request.args)
    found = fetch(page)
    return _json(forms.page_object(to_items(found.items), found.total, page))


def _ndjson(fetch: Fetch, to_items: ToItems) -> Iterator[str]:
    number = 1
    while True:
        found = fetch(PageRequest(page=number, per_page=NDJSON_BATCH))
        for item in to_items(found.items):
            yield json.dumps(item, ensure_ascii=False) + "\n"
        if number * NDJSON_BATCH >= found.total or not found.items:
            return
        number += 1


def _json(body: Any) -> Response:
    """HSDS key order kept (Flask's provider would sort keys)."""
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")
