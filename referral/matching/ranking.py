"""Rank one need's candidates for one client: pure, over plain dataclasses.

Eligibility is ``eligibility.check`` (the same verdict ``referral check`` and
``POST /api/v1/eligibility`` give): an "ineligible" service leaves the main list and
is listed apart with its reason. The rest are scored (``scoring``), sorted by score,
then nearer first, then by id (so equal inputs always give the same order), and no
organization holds more than ORG_CAP places in the top results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from referral.matching import explain, scoring
from referral.matching.assessment import ClientFacts, Need
from referral.matching.criteria import Criterion
from referral.matching.eligibility import Verdict, criteria_for, evaluate
from referral.matching.records import ServiceRecord

# At most this many locations or services of one organization in the top results:
# enough to offer a choice of sites, few enough that one big agency can't fill the list.
ORG_CAP = 2
# Services in these states never make the main list (the reason in the reader's language).
CLOSED_REASONS = {
    "temporarily closed": _l("Temporarily closed"),
    "inactive": _l("No longer offered (inactive)"),
    "defunct": _l("No longer offered (defunct)"),
}


@dataclass(frozen=True)
class Candidate:
    service_at_location_id: str
    service_id: str
    organization_id: str
    service_name: str
    organization_name: str
    record: ServiceRecord | None
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


UNCHECKED = Verdict("unknown", ())


@dataclass(frozen=True)
class NeedResult:
    need: Need
    results: tuple[Result, ...]
    excluded: tuple[Excluded, ...] = ()
    considered: int = 0
    notes: tuple[str, ...] = field(default=())


RecordLoader = Callable[[Sequence[str]], Mapping[str, ServiceRecord]]
# Candidates checked for eligibility at a time, best possible score first.
CHECK_BATCH = 20


def rank(
    need: Need,
    candidates: Sequence[Candidate],
    facts: ClientFacts,
    *,
    top: int = 10,
    today: date,
    weights: Mapping[str, float] | None = None,
    records: RecordLoader | None = None,
) -> NeedResult:
    """The top results, checking eligibility lazily: candidates are taken best possible
    score first (as if eligible), and checking stops once ``top`` checked results score
    above anything left, so records are loaded (``records``) only for those that could
    make the list. Services found ineligible on the way are listed apart."""
    chosen = scoring.weights_for(need.urgency, facts.disability, weights)
    excluded: dict[str, Excluded] = {}
    for c in candidates:
        if c.status in CLOSED_REASONS:
            reason = str(CLOSED_REASONS[c.status])
            excluded.setdefault(c.service_id, Excluded(c.service_id, c.service_name, reason))
    hopeful = best_possible(candidates, facts, chosen, today)
    results = _check_until_settled(hopeful, facts, chosen, today, top, records, excluded)
    results.sort(key=sort_key)
    shown = tuple(explained(need, r, facts) for r in cap_organizations(results, top)[:top])
    dropped = tuple(sorted(excluded.values(), key=lambda e: (e.service_name, e.service_id)))
    return NeedResult(need, shown, dropped, len(candidates))


def best_possible(
    candidates: Sequence[Candidate], facts: ClientFacts, weights: Mapping[str, float], today: date
) -> list[Result]:
    """Open candidates scored as if eligible (an upper bound), best first."""
    scored = (
        score(c, None, facts, weights, today) for c in candidates if c.status not in CLOSED_REASONS
    )
    return sorted(scored, key=sort_key)


def first_checks(
    need: Need,
    candidates: Sequence[Candidate],
    facts: ClientFacts,
    today: date,
    weights: Mapping[str, float] | None = None,
) -> list[str]:
    """Service ids ``rank`` will check first: loading them for all needs at once saves
    a round of queries per need."""
    chosen = scoring.weights_for(need.urgency, facts.disability, weights)
    hopeful = best_possible(candidates, facts, chosen, today)
    return [r.candidate.service_id for r in hopeful[:CHECK_BATCH]]


def _check_until_settled(
    hopeful: list[Result],
    facts: ClientFacts,
    weights: Mapping[str, float],
    today: date,
    top: int,
    records: RecordLoader | None,
    excluded: dict[str, Excluded],
) -> list[Result]:
    loaded: dict[str, ServiceRecord] = {}
    results: list[Result] = []
    for start in range(0, len(hopeful), CHECK_BATCH):
        batch = [r.candidate for r in hopeful[start : start + CHECK_BATCH]]
        missing = sorted({c.service_id for c in batch if c.record is None} - set(loaded))
        if missing and records is not None:
            loaded.update(records(missing))
        for c in batch:
            record = c.record or loaded.get(c.service_id)
            if record is None:
                continue  # the service is gone
            verdict = verdict_of(record, facts)
            if verdict.status == "ineligible":
                reason = reason_of(verdict)
                excluded.setdefault(c.service_id, Excluded(c.service_id, c.service_name, reason))
                continue
            results.append(score(replace(c, record=record), verdict, facts, weights, today))
        rest = start + CHECK_BATCH
        if rest < len(hopeful) and _settled(results, hopeful[rest].score, top):
            break
    return results


def _settled(results: list[Result], best_left: float, top: int) -> bool:
    """Do ``top`` results (after the organization cap) score above every unchecked one?"""
    sure = sorted((r for r in results if r.score > best_left), key=sort_key)
    return len(head(sure, top)) >= top


def sort_key(r: Result) -> tuple[float, float, str]:
    km = r.candidate.distance_km
    return (-r.score, float("inf") if km is None else km, r.candidate.service_at_location_id)


def score(
    c: Candidate,
    verdict: Verdict | None,
    facts: ClientFacts,
    weights: Mapping[str, float],
    today: date,
) -> Result:
    """The result's score; with no verdict yet, the best it can reach (as if eligible)."""
    status = eligibility_status(verdict)
    parts = tuple(scoring.contributions(factor_values(c, status, facts, today), weights))
    return Result(c, verdict or UNCHECKED, parts, scoring.total(list(parts)), "", ())


def eligibility_status(verdict: Verdict | None) -> str:
    """The verdict's status, "doubtful" when a soft rule is not met, and "eligible" for
    a candidate not checked yet (the best it can reach)."""
    if verdict is None:
        return "eligible"
    soft_failed = any(not e.criterion.hard and e.status == "not_met" for e in verdict.evaluations)
    return "doubtful" if soft_failed and verdict.status != "ineligible" else verdict.status


def explained(need: Need, r: Result, facts: ClientFacts) -> Result:
    """The result with its sentence and asks (written only for the results shown)."""
    asks = explain.asks(r.verdict)
    text = explain.sentence(need, r.candidate, r.verdict, facts, asks)
    return replace(r, explanation=text, asks=asks)


def factor_values(c: Candidate, status: str, facts: ClientFacts, today: date) -> dict[str, float]:
    return {
        "relevance": c.relevance,
        "distance": scoring.distance_factor(c.distance_km),
        "eligibility": scoring.eligibility_factor(status),
        "language": scoring.language_factor(facts.languages, c.languages),
        "open_hours": scoring.open_hours_factor(c.open_now),
        "accessibility": scoring.accessibility_factor(c.accessible),
        "capacity": scoring.capacity_factor(c.capacity_available),
        "freshness": scoring.freshness_factor(c.assured_date, today),
        "follow_through": c.follow_through,
    }


def cap_organizations(results: Sequence[Result], top: int, cap: int = ORG_CAP) -> list[Result]:
    """The best-first list with any organization's results past ``cap`` moved below the top."""
    first = head(results, top, cap)
    taken = {id(r) for r in first}
    return first + [r for r in results if id(r) not in taken]


def head(results: Sequence[Result], top: int, cap: int = ORG_CAP) -> list[Result]:
    """The first ``top`` results, skipping any organization's past its ``cap``."""
    chosen: list[Result] = []
    seen: dict[str, int] = {}
    for r in results:
        if len(chosen) >= top:
            break
        org = r.candidate.organization_id or r.candidate.service_id
        if seen.get(org, 0) < cap:
            seen[org] = seen.get(org, 0) + 1
            chosen.append(r)
    return chosen


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
