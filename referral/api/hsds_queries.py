"""Database listings behind the HSDS API: filter, count, page.

Plain functions over a Session (no Flask), so the API, tests and scripts share them.
Listings are ordered by name then id, which keeps pages stable while data changes
elsewhere in the table. Free-text ``search`` on services and service-at-locations goes
through the search engine (see ``referral.api.hsds_search``); here it is a plain name
match for the small tables (organizations, taxonomies, terms) the index does not hold.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from referral.api.hsds_params import PageRequest
from referral.directory.models import (
    Attribute,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    items: Sequence[T]
    total: int


@dataclass(frozen=True)
class ServiceFilters:
    # Term ids already widened to their descendants; None means no taxonomy filter.
    taxonomy_term_ids: frozenset[str] | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None


@dataclass(frozen=True)
class TermFilters:
    search: str | None = None
    taxonomy_id: str | None = None
    parent_id: str | None = None
    top_only: bool = False


def exists(session: Session, model: type[Any], record_id: str) -> bool:
    return session.scalar(select(model.id).where(model.id == record_id)) is not None


def term_with_descendants(session: Session, term_id: str) -> frozenset[str]:
    """The term and every term below it; UNION (not UNION ALL) so a cycle still ends."""
    tree = select(TaxonomyTerm.id).where(TaxonomyTerm.id == term_id).cte("tree", recursive=True)
    tree = tree.union(select(TaxonomyTerm.id).where(TaxonomyTerm.parent_id == tree.c.id))
    return frozenset(session.scalars(select(tree.c.id)))


def service_conditions(filters: ServiceFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.taxonomy_term_ids is not None:
        conditions.append(
            Service.id.in_(_tagged(Attribute.taxonomy_term_id.in_(filters.taxonomy_term_ids)))
        )
    if filters.taxonomy_id:
        in_taxonomy = select(TaxonomyTerm.id).where(TaxonomyTerm.taxonomy_id == filters.taxonomy_id)
        conditions.append(Service.id.in_(_tagged(Attribute.taxonomy_term_id.in_(in_taxonomy))))
    if filters.organization_id:
        conditions.append(Service.organization_id == filters.organization_id)
    if filters.modified_after:
        conditions.append(Service.last_modified >= filters.modified_after)
    return conditions


def _tagged(condition: ColumnElement[bool]) -> Select[Any]:
    return select(Attribute.link_id).where(Attribute.link_entity == "service", condition)


def services(session: Session, filters: ServiceFilters, page: PageRequest) -> Found[Service]:
    query = select(Service).where(*service_conditions(filters))
    return _page(session, query, (Service.name, Service.id), page, _service_list_loads())


def services_by_id(session: Session, ids: Collection[str]) -> dict[str, Service]:
    query = select(Service).where(Service.id.in_(ids)).options(*_service_list_loads())
    return {service.id: service for service in session.scalars(query)}


def _service_list_loads() -> tuple[Any, ...]:
    return (selectinload(Service.organization), selectinload(Service.program))


def service_at_locations(
    session: Session,
    filters: ServiceFilters,
    page: PageRequest,
    only_ids: Collection[str] | None = None,
) -> Found[ServiceAtLocation]:
    query = select(ServiceAtLocation).join(Service).where(*service_conditions(filters))
    if only_ids is not None:
        query = query.where(ServiceAtLocation.id.in_(only_ids))
    order = (Service.name, ServiceAtLocation.id)
    return _page(session, query, order, page, _sal_list_loads())


def sal_ids_matching(
    session: Session, filters: ServiceFilters, candidates: Collection[str] | None = None
) -> set[str]:
    """Ids of service-at-locations passing the filters (among ``candidates`` if given)."""
    query = select(ServiceAtLocation.id).join(Service).where(*service_conditions(filters))
    if candidates is not None:
        query = query.where(ServiceAtLocation.id.in_(candidates))
    return set(session.scalars(query))


def sals_by_id(session: Session, ids: Collection[str]) -> dict[str, ServiceAtLocation]:
    query = select(ServiceAtLocation).where(ServiceAtLocation.id.in_(ids))
    return {sal.id: sal for sal in session.scalars(query.options(*_sal_list_loads()))}


def _sal_list_loads() -> tuple[Any, ...]:
    return (
        selectinload(ServiceAtLocation.location),
        selectinload(ServiceAtLocation.service).selectinload(Service.organization),
        selectinload(ServiceAtLocation.service).selectinload(Service.program),
    )


def organizations(session: Session, search: str | None, page: PageRequest) -> Found[Organization]:
    query = select(Organization)
    if search:
        query = query.where(
            or_(contains(Organization.name, search), contains(Organization.alternate_name, search))
        )
    return _page(session, query, (Organization.name, Organization.id), page)


def taxonomies(session: Session, search: str | None, page: PageRequest) -> Found[Taxonomy]:
    query = select(Taxonomy)
    if search:
        query = query.where(contains(Taxonomy.name, search))
    return _page(session, query, (Taxonomy.name, Taxonomy.id), page)


def taxonomy_terms(
    session: Session, filters: TermFilters, page: PageRequest
) -> Found[TaxonomyTerm]:
    query = select(TaxonomyTerm)
    if filters.search:
        query = query.where(
            or_(contains(TaxonomyTerm.name, filters.search), TaxonomyTerm.code == filters.search)
        )
    if filters.taxonomy_id:
        query = query.where(TaxonomyTerm.taxonomy_id == filters.taxonomy_id)
    if filters.parent_id:
        query = query.where(TaxonomyTerm.parent_id == filters.parent_id)
    if filters.top_only:
        query = query.where(TaxonomyTerm.parent_id.is_(None))
    loads = (selectinload(TaxonomyTerm.taxonomy_detail),)
    return _page(session, query, (TaxonomyTerm.name, TaxonomyTerm.id), page, loads)


def contains(column: Any, needle: str) -> ColumnElement[bool]:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped.lower()}%", escape="\\")


def _page(
    session: Session,
    query: Select[Any],
    order: tuple[Any, ...],
    page: PageRequest,
    loads: tuple[Any, ...] = (),
) -> Found[Any]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    paged = query.order_by(*order).offset(page.offset).limit(page.per_page).options(*loads)
    return Found(items=list(session.scalars(paged)), total=total)
