"""Rank one need's candidates for one client: pure, over plain dataclasses.

Eligibility is ``eligibility.check`` (the same verdict ``referral check`` and
``POST /api/v1/eligibility`` give): an "ineligible" service leaves the main list and
is listed apart with its reason. The rest are scored (``scoring``), sorted by score,
then nearer first, then by id (so equal inputs always give the same order), and no
organization holds more than ORG_CAP places in the top results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from referral.matching import explain, scoring
from referral.matching.assessment import ClientFacts, Need
from referral.matching.criteria import Criterion
from referral.matching.eligibility import Verdict, criteria_for, evaluate
from referral.matching.records import ServiceRecord

# At most this many locations or services of one organization in the top results:
# enough to offer a choice of sites, few enough that one big agency can't fill the list.
ORG_CAP = 2
# Services in these states never make the main list.
CLOSED_REASONS = {
    "temporarily closed": "Temporarily closed",
    "inactive": "No longer offered (inactive)",
    "defunct": "No longer offered (defunct)",
}


@dataclass(frozen=True)
class Candidate:
    service_at_location_id: str
    service_id: str
    organization_id: str
    service_name: str
    organization_name: str
    record: ServiceRecord
    relevance: float
    status: str = "active"
    location_id: str = ""
    matched_terms: tuple[str, ...] = ()
    distance_km: float | None = None
    languages: tuple[str, ...] = ()
    open_now: bool | None = None
    accessible: bool | None = None
    capacity_available: int | None = None
    assured_date: date | None = None
    follow_through: float = 0.5
    address: str = ""


@dataclass(frozen=True)
class Result:
    candidate: Candidate
    verdict: Verdict
    contributions: tuple[scoring.Contribution, ...]
    score: float
    explanation: str
    asks: tuple[str, ...]


@dataclass(frozen=True)
class Excluded:
    service_id: str
    service_name: str
    reason: str


@dataclass(frozen=True)
class NeedResult:
    need: Need
    results: tuple[Result, ...]
    excluded: tuple[Excluded, ...] = ()
    considered: int = 0
    notes: tuple[str, ...] = field(default=())


def rank(
    need: Need,
    candidates: Sequence[Candidate],
    facts: ClientFacts,
    *,
    top: int = 10,
    today: date,
    weights: Mapping[str, float] | None = None,
) -> NeedResult:
    verdicts: dict[str, Verdict] = {}
    excluded: dict[str, Excluded] = {}
    scored: list[Result] = []
    chosen = scoring.weights_for(need.urgency, facts.disability, weights)
    for c in candidates:
        if c.status in CLOSED_REASONS:
            excluded.setdefault(
                c.service_id, Excluded(c.service_id, c.service_name, CLOSED_REASONS[c.status])
            )
            continue
        if c.service_id not in verdicts:
            verdicts[c.service_id] = verdict_of(c.record, facts)
        verdict = verdicts[c.service_id]
        if verdict.status == "ineligible":
            excluded.setdefault(
                c.service_id, Excluded(c.service_id, c.service_name, reason_of(verdict))
            )
            continue
        scored.append(score(c, verdict, facts, chosen, today))
    scored.sort(key=sort_key)
    shown = tuple(explained(need, r, facts) for r in cap_organizations(scored, top)[:top])
    dropped = tuple(sorted(excluded.values(), key=lambda e: (e.service_name, e.service_id)))
    return NeedResult(need, shown, dropped, len(candidates))


def sort_key(r: Result) -> tuple[float, float, str]:
    km = r.candidate.distance_km
    return (-r.score, float("inf") if km is None else km, r.candidate.service_at_location_id)


def score(
    c: Candidate, verdict: Verdict, facts: ClientFacts, weights: Mapping[str, float], today: date
) -> Result:
    parts = tuple(scoring.contributions(factor_values(c, verdict, facts, today), weights))
    return Result(c, verdict, parts, scoring.total(list(parts)), "", ())


def explained(need: Need, r: Result, facts: ClientFacts) -> Result:
    """The result with its sentence and asks (written only for the results shown)."""
    asks = explain.asks(r.verdict)
    text = explain.sentence(need, r.candidate, r.verdict, facts, asks)
    return replace(r, explanation=text, asks=asks)


def factor_values(
    c: Candidate, verdict: Verdict, facts: ClientFacts, today: date
) -> dict[str, float]:
    return {
        "relevance": c.relevance,
        "distance": scoring.distance_factor(c.distance_km),
        "eligibility": scoring.eligibility_factor(verdict.status),
        "language": scoring.language_factor(facts.languages, c.languages),
        "open_hours": scoring.open_hours_factor(c.open_now),
        "accessibility": scoring.accessibility_factor(c.accessible),
        "capacity": scoring.capacity_factor(c.capacity_available),
        "freshness": scoring.freshness_factor(c.assured_date, today),
        "follow_through": c.follow_through,
    }


def cap_organizations(results: Sequence[Result], top: int, cap: int = ORG_CAP) -> list[Result]:
    """The best-first list with any organization's results past ``cap`` moved below the top."""
    head: list[Result] = []
    tail: list[Result] = []
    seen: dict[str, int] = {}
    for r in results:
        org = r.candidate.organization_id or r.candidate.service_id
        if len(head) < top and seen.get(org, 0) < cap:
            seen[org] = seen.get(org, 0) + 1
            head.append(r)
        else:
            tail.append(r)
    return head + tail


@lru_cache(maxsize=20_000)
def _criteria(record: ServiceRecord) -> tuple[Criterion, ...]:
    """``criteria_for`` memoized on the record's full content: a changed listing loads
    as a different record, so a stale entry is never used."""
    return tuple(criteria_for(record))


def verdict_of(record: ServiceRecord, facts: ClientFacts) -> Verdict:
    """Exactly ``eligibility.check(record, facts)``: ``evaluate(criteria_for(record), facts)``."""
    return evaluate(_criteria(record), facts)


def reason_of(verdict: Verdict) -> str:
    return "; ".join(f"{explain.criterion_text(e)}: {e.reason}" for e in verdict.failed)
