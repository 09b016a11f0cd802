"""``search``, ``postcode`` and ``proximity`` on the HSDS listings.

Free text is ranked by the search engine (``referral.search``), which returns
service-at-locations best first; services are their first appearance in that order.
Services offered at no place (hotlines, online help) are not in the index; a service
search adds those whose name or description holds every word, after the ranked ones.

Place filters follow the HSDS 3.0 parameter descriptions, answered by
``directory.geo`` (the engine's own geometry) rather than the engine's filters, whose
service-area filter would drop every service that has no mapped area:

* ``postcode`` alone: where a service has a mapped service area, the ZIP's centroid
  must lie inside it; a service without one is kept when the location is in that ZIP.
* ``postcode`` with ``proximity`` (metres): locations within that distance of the
  centroid, nearest first unless ``search`` ranks them.

The page is cut after all filters, so ``total_items`` counts what a client can page
through.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session

from referral.api import hsds_params as params
from referral.api import hsds_queries as queries
from referral.api.hsds_params import PageRequest, Postcode
from referral.api.hsds_queries import Found, ServiceFilters
from referral.directory import geo
from referral.directory.models import Address, Service, ServiceArea, ServiceAtLocation
from referral.search import service as engine
from referral.search.index import SearchIndex
from referral.search.query import STATUSES, SearchParams

# Bound parameters per IN list: below SQLite's historical limit of 999.
CHUNK = 900
# Text matches ranked per request. Paging a service list needs every match (services
# are de-duplicated from their locations before the page is cut); past this many a
# query is too broad to page through, and total_items counts at most this many.
TEXT_MATCH_LIMIT = 10_000
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Place:
    postcode: Postcode
    proximity_m: float | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Place | None:
        code = params.postcode(args)
        proximity = params.proximity_m(args, has_postcode=code is not None)
        return None if code is None else cls(code, proximity)


def services(
    session: Session, index: SearchIndex, search: str, filters: ServiceFilters, page: PageRequest
) -> Found[Service]:
    ranked = text_ranking(session, search, index)
    placed = _service_ids(session, ranked)
    service_ids = list(dict.fromkeys([*placed, *unplaced_matches(session, search)]))
    service_ids = _keep(service_ids, _services_passing(session, filters, service_ids))
    shown = service_ids[page.offset : page.offset + page.per_page]
    loaded = queries.services_by_id(session, shown)
    return Found(items=[loaded[i] for i in shown if i in loaded], total=len(service_ids))


def service_at_locations(
    session: Session,
    index: SearchIndex,
    search: str | None,
    place: Place | None,
    filters: ServiceFilters,
    page: PageRequest,
) -> Found[ServiceAtLocation]:
    ranked = place_ranking(session, place) if place else None
    if search:
        by_text = text_ranking(session, search, index)
        ranked = by_text if ranked is None else _keep(by_text, set(ranked))
    sal_ids = ranked or []
    if filters != ServiceFilters():
        sal_ids = _keep(sal_ids, _sals_passing(session, filters, sal_ids))
    shown = sal_ids[page.offset : page.offset + page.per_page]
    loaded = queries.sals_by_id(session, shown)
    return Found(items=[loaded[i] for i in shown if i in loaded], total=len(sal_ids))


def text_ranking(session: Session, search: str, index: SearchIndex) -> list[str]:
    """Service-at-location ids matching ``search``, best first, whatever their status
    (an HSDS consumer filters on status itself)."""
    wanted = SearchParams(q=search, statuses=STATUSES, per_page=TEXT_MATCH_LIMIT)
    found = engine.search(session, wanted, index)
    return list(dict.fromkeys(hit.service_at_location_id for hit in found.results))


def unplaced_matches(session: Session, search: str) -> list[str]:
    """Services with no location (hotlines, online help) by name, description or
    alternate name holding every word; the index only holds services at a place."""
    words = [word for word in _WORDS.findall(search.lower()) if len(word) > 1]
    if not words:
        return []
    has_place = exists().where(ServiceAtLocation.service_id == Service.id)
    fields = (Service.name, Service.alternate_name, Service.description)
    each_word = [or_(*(queries.contains(field, word) for field in fields)) for word in words]
    query = select(Service.id).where(~has_place, *each_word).order_by(Service.name, Service.id)
    return list(session.scalars(query.limit(TEXT_MATCH_LIMIT)))


def place_ranking(session: Session, place: Place) -> list[str]:
    """Service-at-location ids at ``place``, nearest first (proximity) or by name."""
    lat, lon = place.postcode.latitude, place.postcode.longitude
    if place.proximity_m is not None:
        nearby = geo.nearest_locations(session, lat, lon, place.proximity_m / 1000.0)
        distance = {n.location_id: n.distance_km for n in nearby}
        rows = _sal_locations(session, list(distance))
        rows.sort(key=lambda row: (distance[row[1]], row[0]))
        return [sal_id for sal_id, _ in rows]
    covering = geo.areas_covering(session, lat, lon)
    return _in_area_or_postcode(session, covering, place.postcode.code)


def _in_area_or_postcode(session: Session, covering: set[str], code: str) -> list[str]:
    mapped = exists().where(
        ServiceArea.service_id == ServiceAtLocation.service_id,
        ServiceArea.extent_geom.is_not(None),
    )
    in_zip = select(Address.location_id).where(Address.postal_code.like(f"{code}%"))
    conditions: list[ColumnElement[bool]] = [~mapped & ServiceAtLocation.location_id.in_(in_zip)]
    for chunk in _chunks(sorted(covering)):
        served = select(ServiceArea.service_id).where(ServiceArea.id.in_(chunk))
        conditions.append(ServiceAtLocation.service_id.in_(served))
    query = (
        select(ServiceAtLocation.id)
        .join(Service)
        .where(or_(*conditions))
        .order_by(Service.name, ServiceAtLocation.id)
    )
    return list(session.scalars(query))


def _sal_locations(session: Session, location_ids: list[str]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for chunk in _chunks(location_ids):
        query = select(ServiceAtLocation.id, ServiceAtLocation.location_id).where(
            ServiceAtLocation.location_id.in_(chunk)
        )
        rows.extend((row.id, row.location_id) for row in session.execute(query))
    return rows


def _service_ids(session: Session, sal_ids: Sequence[str]) -> list[str]:
    """Service ids of the service-at-locations, in their order."""
    owner: dict[str, str] = {}
    for chunk in _chunks(list(sal_ids)):
        query = select(ServiceAtLocation.id, ServiceAtLocation.service_id).where(
            ServiceAtLocation.id.in_(chunk)
        )
        owner.update({row.id: row.service_id for row in session.execute(query) if row.service_id})
    return [owner[sal_id] for sal_id in sal_ids if sal_id in owner]


def _services_passing(session: Session, filters: ServiceFilters, ids: Sequence[str]) -> set[str]:
    conditions = queries.service_conditions(filters)
    if not conditions:
        return set(ids)
    passing: set[str] = set()
    for chunk in _chunks(list(ids)):
        query = select(Service.id).where(Service.id.in_(chunk), *conditions)
        passing.update(session.scalars(query))
    return passing


def _sals_passing(session: Session, filters: ServiceFilters, ids: Sequence[str]) -> set[str]:
    passing: set[str] = set()
    for chunk in _chunks(list(ids)):
        passing |= queries.sal_ids_matching(session, filters, chunk)
    return passing


def _keep(ordered: Sequence[str], allowed: Collection[str]) -> list[str]:
    return [item for item in ordered if item in allowed]


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
