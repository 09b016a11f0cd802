"""Ordering, paging and facets shared by the Whoosh index and the database fallback."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from referral.directory import geo
from referral.search.filters import Facts

# Blend: relevance divided by (1 + distance / BLEND_DISTANCE_KM). At 5 km a result keeps
# half its relevance: across a city a much better match may be worth the trip, across a
# county it rarely is (transport is the most common reason referrals fail).
BLEND_DISTANCE_KM = 5.0
# Relevance scores are exact for at most this many candidates per query; beyond it the
# index ranks its best MAX_SCORED and the rest follow by distance or name. Scoring is the
# costly part of a Whoosh search, and nobody pages past the first few hundred results.
MAX_SCORED = 2000


@dataclass
class Candidate:
    key: int | str  # Whoosh document number or service-at-location id
    facts: Facts
    score: float | None = None
    distance_km: float | None = None
    display: dict[str, Any] | None = None


@dataclass
class Ranked:
    page: list[Candidate]
    total: int
    taxonomy_facets: Counter[str] = field(default_factory=Counter)
    language_facets: Counter[str] = field(default_factory=Counter)
    did_you_mean: str | None = None


def distance(point: tuple[float, float] | None, facts: Facts) -> float | None:
    if point is None or facts.latitude is None or facts.longitude is None:
        return None
    return geo.haversine_km(point[0], point[1], facts.latitude, facts.longitude)


def blended(candidate: Candidate) -> float:
    score = candidate.score or 0.0
    if candidate.distance_km is None:
        return score / 2  # unknown distance: as if a fair way off
    return score / (1.0 + candidate.distance_km / BLEND_DISTANCE_KM)


def sort_key(sort: str, has_text: bool):  # type: ignore[no-untyped-def]
    def far(c: Candidate) -> float:
        return math.inf if c.distance_km is None else c.distance_km

    if sort == "distance" or (sort == "relevance" and not has_text):
        return lambda c: (far(c), -(c.score or 0.0), c.facts.sort_name, c.facts.sal_id)
    if sort == "blend":
        return lambda c: (-blended(c), far(c), c.facts.sal_id)
    return lambda c: (-(c.score or 0.0), far(c), c.facts.sal_id)


def page_of(items: Sequence[Candidate], page: int, per_page: int) -> list[Candidate]:
    start = (page - 1) * per_page
    return list(items[start : start + per_page])
