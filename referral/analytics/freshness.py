"""Data freshness: how much of the directory was verified (``service.assured_date``)
recently, per organization and per taxonomy term. Directory data is public, so these
counts are never suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from referral.directory.models import Attribute, Organization, Service, TaxonomyTerm

# "Within 6 months" and "within 12 months" of today, in days.
SIX_MONTHS = timedelta(days=183)
TWELVE_MONTHS = timedelta(days=365)
LISTED = "active"


@dataclass(frozen=True)
class Freshness:
    key: str
    label: str
    services: int
    verified_6_months: int
    verified_12_months: int
    never_verified: int


def _counts(today: date) -> list[ColumnElement[int]]:
    assured = Service.assured_date
    six, twelve = today - SIX_MONTHS, today - TWELVE_MONTHS
    return [
        func.count(Service.id),
        func.count(case((assured >= six, 1))),
        func.count(case((assured >= twelve, 1))),
        func.count(case((assured.is_(None), 1))),
    ]


def by_organization(
    session: Session, today: date, organization: str | None = None
) -> list[Freshness]:
    query = (
        select(Organization.id, Organization.name, *_counts(today))
        .join(Service, Service.organization_id == Organization.id)
        .where(Service.status == LISTED)
        .group_by(Organization.id, Organization.name)
    )
    if organization is not None:
        query = query.where(Organization.id == organization)
    return _sorted(session, query)


def by_taxonomy_term(session: Session, today: date) -> list[Freshness]:
    linked = (
        select(Attribute.taxonomy_term_id, Attribute.link_id)
        .where(Attribute.link_entity == "service")
        .distinct()
        .subquery()
    )
    query = (
        select(TaxonomyTerm.id, TaxonomyTerm.name, *_counts(today))
        .join(linked, linked.c.taxonomy_term_id == TaxonomyTerm.id)
        .join(Service, Service.id == linked.c.link_id)
        .where(Service.status == LISTED)
        .group_by(TaxonomyTerm.id, TaxonomyTerm.name)
    )
    return _sorted(session, query)


def _sorted(session: Session, query: Select[Any]) -> list[Freshness]:
    rows = [Freshness(k, label, *map(int, rest)) for k, label, *rest in session.execute(query)]
    return sorted(rows, key=lambda r: (r.verified_12_months / r.services, r.label))
