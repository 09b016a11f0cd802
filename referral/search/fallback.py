"""The database twin of the Whoosh index: slower and simpler, never unavailable.

Used when the index is missing or corrupt (results marked degraded) and when
configuration asks for no index at all (``SEARCH_BACKEND = "database"``). Words are
matched with ILIKE on names and descriptions, at most FALLBACK_CANDIDATES rows are
considered, and the same filters and ordering as the index apply.
"""

from __future__ import annotations

import re

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from referral.directory import geo
from referral.directory import models as dm
from referral.search import documents, filters, ranking
from referral.search.index import BuildStats
from referral.search.query import SearchParams
from referral.search.textquery import FIELD_SOURCES, SEARCH_BOOSTS

# Enough to fill the first pages while the index rebuilds, few enough to stay quick.
FALLBACK_CANDIDATES = 500
_WORDS = re.compile(r"[^\W_]{2,}", re.UNICODE)


class DatabaseIndex:
    def __init__(self, degraded: bool = True) -> None:
        self.degraded = degraded

    def sync(self, session: Session) -> int:
        return 0

    def rebuild(self, session: Session) -> BuildStats:
        return BuildStats(0, 0.0, "")

    def search(
        self, session: Session, params: SearchParams, covered_areas: set[str] | None
    ) -> ranking.Ranked:
        words = [w.lower() for w in _WORDS.findall(params.q)]
        docs = documents.documents_for(session, candidate_ids(session, params, words))
        checks = filters.term_checks(params) + filters.fact_checks(params, covered_areas)
        found = []
        for doc in docs:
            facts = filters.facts_of(doc)
            km = ranking.distance(params.point, facts)
            outside = params.radius_km is not None and (km is None or km > params.radius_km)
            if outside or not filters.passes(facts, checks):
                continue
            score = word_score(doc, words) if words else None
            found.append(
                ranking.Candidate(facts.sal_id, facts, score, km, documents.display_of(doc))
            )
        found.sort(key=ranking.sort_key(params.sort, bool(words)))
        ranked = ranking.Ranked(ranking.page_of(found, params.page, params.per_page), len(found))
        ranked.taxonomy_facets, ranked.language_facets = filters.facet_counts(
            c.facts for c in found
        )
        return ranked


def word_score(doc: documents.SearchDocument, words: list[str]) -> float:
    score = 0.0
    for field, boost in SEARCH_BOOSTS.items():
        text = " ".join(getattr(doc, name) or "" for name in FIELD_SOURCES[field]).lower()
        score += boost * sum(w in text for w in words)
    return score


def candidate_ids(session: Session, params: SearchParams, words: list[str]) -> list[str]:
    sal, svc, org, loc = dm.ServiceAtLocation, dm.Service, dm.Organization, dm.Location
    query = (
        select(sal.id)
        .join(svc, svc.id == sal.service_id)
        .join(loc, loc.id == sal.location_id)
        .outerjoin(org, org.id == svc.organization_id)
        .where(svc.status.in_(params.statuses))
    )
    for word in words:
        pattern = f"%{word}%"
        query = query.where(
            or_(svc.name.ilike(pattern), svc.description.ilike(pattern), org.name.ilike(pattern))
        )
    if params.point is not None and params.radius_km is not None:
        min_lat, max_lat, min_lon, max_lon = geo.bounding_box(*params.point, params.radius_km)
        query = query.where(
            and_(loc.latitude.between(min_lat, max_lat), loc.longitude.between(min_lon, max_lon))
        )
    return list(session.scalars(query.order_by(svc.name, sal.id).limit(FALLBACK_CANDIDATES)))
