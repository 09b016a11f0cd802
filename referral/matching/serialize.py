"""The JSON shape of a match list, shared by ``referral match --json`` and
``POST /api/v1/match``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from referral.matching.ranking import NeedResult, Result

if TYPE_CHECKING:
    from referral.matching.match import MatchResult


def match_to_dict(result: MatchResult) -> dict[str, Any]:
    return {"needs": [need_to_dict(n) for n in result.needs]}


def need_to_dict(n: NeedResult) -> dict[str, Any]:
    return {
        "domain": n.need.domain,
        "display": n.need.display,
        "detail": n.need.detail,
        "urgency": n.need.urgency,
        "considered": n.considered,
        "results": [result_to_dict(r, i + 1) for i, r in enumerate(n.results)],
        "excluded": [
            {"service_id": e.service_id, "service_name": e.service_name, "reason": e.reason}
            for e in n.excluded
        ],
    }


def result_to_dict(r: Result, rank: int) -> dict[str, Any]:
    c = r.candidate
    return {
        "rank": rank,
        "service_at_location_id": c.service_at_location_id,
        "service_id": c.service_id,
        "location_id": c.location_id,
        "service_name": c.service_name,
        "organization_name": c.organization_name,
        "address": c.address,
        "score": round(r.score, 4),
        "distance_km": None if c.distance_km is None else round(c.distance_km, 2),
        "matched_terms": list(c.matched_terms),
        "eligibility": r.verdict.to_dict(),
        "asks": list(r.asks),
        "factors": [
            {
                "factor": p.factor,
                "value": round(p.value, 4),
                "weight": p.weight,
                "points": round(p.points, 4),
            }
            for p in r.contributions
        ],
        "explanation": r.explanation,
    }
