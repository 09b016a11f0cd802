"""Database adapter: services as plain records for the eligibility core.

The only module of ``referral.matching``'s eligibility core that takes a Session: it
loads what ``eligibility.criteria_for`` reads (eligibility text, HSDS ages, service
areas, required documents, taxonomy terms, provider-entered criteria) and looks up which
service areas cover a client's point, so the rest stays pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from referral.directory import geo
from referral.directory.models import Attribute, Service, TaxonomyTerm
from referral.matching.assessment import ClientFacts
from referral.matching.criteria import Criterion
from referral.matching.models import EligibilityCriterion


@dataclass(frozen=True)
class AreaRecord:
    id: str
    name: str | None
    has_extent: bool


@dataclass(frozen=True)
class ServiceRecord:
    id: str
    name: str
    eligibility_description: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    areas: tuple[AreaRecord, ...] = ()
    required_documents: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    stored_criteria: tuple[Criterion, ...] = ()


def load_service(session: Session, service_id: str) -> ServiceRecord | None:
    found = load_services(session, [service_id])
    return found[0] if found else None


def load_services(session: Session, service_ids: Iterable[str]) -> list[ServiceRecord]:
    ids = list(dict.fromkeys(service_ids))
    if not ids:
        return []
    services = session.scalars(
        select(Service)
        .where(Service.id.in_(ids))
        .options(selectinload(Service.service_areas), selectinload(Service.required_documents))
    ).all()
    terms = _terms(session, ids)
    stored = _stored(session, ids)
    by_id = {s.id: _record(s, terms.get(s.id, ()), stored.get(s.id, ())) for s in services}
    return [by_id[i] for i in ids if i in by_id]


def _record(
    service: Service, terms: tuple[str, ...], stored: tuple[Criterion, ...]
) -> ServiceRecord:
    areas = tuple(
        AreaRecord(a.id, a.name, a.extent_geom is not None) for a in service.service_areas
    )
    documents = tuple(d.document for d in service.required_documents if d.document)
    return ServiceRecord(
        id=service.id,
        name=service.name,
        eligibility_description=service.eligibility_description,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        areas=areas,
        required_documents=documents,
        terms=terms,
        stored_criteria=stored,
    )


def _terms(session: Session, ids: list[str]) -> dict[str, tuple[str, ...]]:
    rows = session.execute(
        select(Attribute.link_id, TaxonomyTerm.name)
        .join(TaxonomyTerm, Attribute.taxonomy_term_id == TaxonomyTerm.id)
        .where(Attribute.link_id.in_(ids))
        .order_by(Attribute.link_id, TaxonomyTerm.name)
    )
    found: dict[str, list[str]] = {}
    for link_id, name in rows:
        if link_id is not None:
            found.setdefault(link_id, []).append(name)
    return {k: tuple(dict.fromkeys(v)) for k, v in found.items()}


def _stored(session: Session, ids: list[str]) -> dict[str, tuple[Criterion, ...]]:
    rows = session.scalars(
        select(EligibilityCriterion)
        .where(EligibilityCriterion.service_id.in_(ids))
        .order_by(EligibilityCriterion.created, EligibilityCriterion.id)
    )
    found: dict[str, list[Criterion]] = {}
    for row in rows:
        criterion = Criterion(
            row.kind, dict(row.params), row.hard, row.source, row.evidence, row.confidence
        )
        found.setdefault(row.service_id, []).append(criterion)
    return {k: tuple(v) for k, v in found.items()}


def with_covering_areas(session: Session, facts: ClientFacts) -> ClientFacts:
    """The facts plus the ids of the service areas whose extent covers the client."""
    place = facts.place
    if place is None or place.lat is None or place.lon is None:
        return facts
    return replace(facts, within_areas=frozenset(geo.areas_covering(session, place.lat, place.lon)))
