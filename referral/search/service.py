"""The public entry point: ``search(session, params, index) -> SearchResults``.

Validates what needs the database (taxonomy ids), brings the index up to date with
the change log, searches it, and answers from the database instead (``degraded``)
when the index is missing or unreadable, asking for a rebuild. Never raises for a
broken index: a search that can be answered is answered.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.api.problems import InvalidParameter
from referral.directory import geo
from referral.directory.models import TaxonomyTerm
from referral.search import hours, ranking
from referral.search.fallback import DatabaseIndex
from referral.search.index import IndexUnavailable, SearchIndex
from referral.search.query import SearchParams

log = logging.getLogger(__name__)
# Facet values returned per facet, most frequent first.
FACET_LIMIT = 20


@dataclass
class SearchResult:
    service_at_location_id: str
    service_id: str
    location_id: str
    organization_id: str
    service_name: str
    organization_name: str
    score: float | None
    distance_km: float | None
    open_now: bool | None
    status: str
    languages: list[str]
    address: str
    phone: str
    assured_date: str | None
    taxonomy_terms: list[str]
    latitude: float | None
    longitude: float | None


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    results: list[SearchResult]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    did_you_mean: str | None = None
    degraded: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_taxonomy(session: Session, params: SearchParams) -> None:
    if not params.taxonomy:
        return
    known = set(
        session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.id.in_(params.taxonomy)))
    )
    unknown = [t for t in params.taxonomy if t not in known]
    if unknown:
        raise InvalidParameter("taxonomy", f"unknown taxonomy term id {unknown[0]!r}")


def search(session: Session, params: SearchParams, index: SearchIndex) -> SearchResults:
    check_taxonomy(session, params)
    covered = (
        geo.areas_covering(session, *params.point) if params.service_area and params.point else None
    )
    try:
        _sync(session, index)
        ranked, degraded = index.search(session, params, covered), index.degraded
    except IndexUnavailable as exc:
        log.warning("search index unavailable, answering from the database: %s", exc)
        ranked, degraded = DatabaseIndex().search(session, params, covered), True
        request_rebuild = getattr(index, "request_rebuild", None)
        if request_rebuild is not None:
            request_rebuild(session)
    return _results(session, params, ranked, degraded)


def _sync(session: Session, index: SearchIndex) -> None:
    """Apply pending changes; a failure leaves the index stale, never fails the search."""
    try:
        index.sync(session)
    except IndexUnavailable:
        raise
    except Exception:  # noqa: BLE001 - searching a slightly stale index beats an error
        log.exception("applying search changes failed; searching the index as it is")


def _result(candidate: ranking.Candidate, now: datetime) -> SearchResult:
    shown, facts = candidate.display or {}, candidate.facts
    return SearchResult(
        service_at_location_id=facts.sal_id,
        service_id=shown.get("service_id", ""),
        location_id=shown.get("location_id", ""),
        organization_id=shown.get("organization_id", ""),
        service_name=shown.get("service_name", ""),
        organization_name=shown.get("organization_name", ""),
        score=round(candidate.score, 4) if candidate.score is not None else None,
        distance_km=round(candidate.distance_km, 3) if candidate.distance_km is not None else None,
        open_now=hours.is_open(facts.schedule, now, facts.timezone),
        status=facts.status,
        languages=list(facts.languages),
        address=shown.get("address", ""),
        phone=shown.get("phone", ""),
        assured_date=shown.get("assured_date"),
        taxonomy_terms=list(shown.get("taxonomy_names", [])),
        latitude=facts.latitude,
        longitude=facts.longitude,
    )


def _facets(session: Session, ranked: ranking.Ranked) -> dict[str, list[Facet]]:
    top_terms = ranked.taxonomy_facets.most_common(FACET_LIMIT)
    ids = [term_id for term_id, _ in top_terms]
    rows = session.execute(
        select(TaxonomyTerm.id, TaxonomyTerm.name).where(TaxonomyTerm.id.in_(ids))
    )
    names = {term_id: name for term_id, name in rows}
    return {
        "taxonomy": [Facet(t, names.get(t, t), n) for t, n in top_terms],
        "language": [Facet(c, c, n) for c, n in ranked.language_facets.most_common(FACET_LIMIT)],
    }


def _results(
    session: Session, params: SearchParams, ranked: ranking.Ranked, degraded: bool
) -> SearchResults:
    now = datetime.now(UTC)
    return SearchResults(
        results=[_result(c, now) for c in ranked.page],
        total=ranked.total,
        page=params.page,
        per_page=params.per_page,
        facets=_facets(session, ranked),
        did_you_mean=ranked.did_you_mean,
        degraded=degraded,
    )
