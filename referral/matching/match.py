"""``match``: an assessment in, a ranked and explained list per need out.

Reads the database through ``candidates`` (what to consider), ``loading`` (what to know
about it), ``records``/``eligibility`` (whether the client qualifies) and
``followthrough``; everything else is the pure ranker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from referral.directory import geo
from referral.matching import candidates as cands
from referral.matching import followthrough, textmatch
from referral.matching.assessment import Assessment, ClientFacts, Need
from referral.matching.loading import Place, area_ids, load_places, load_records
from referral.matching.ranking import Candidate, NeedResult, first_checks, rank
from referral.matching.records import ServiceRecord
from referral.search.documents import language_code

# With a detail ("groceries"), a mapped service whose words fit it best keeps full
# relevance and the one that fits worst keeps this share: the taxonomy already says
# the service answers the need, the detail only orders within it.
DETAIL_FLOOR = 0.6
# Text-only candidates (no mapped term): below this similarity they are noise; at
# TEXT_FULL they count as TEXT_MAX relevance, under any tagged service's 1.0.
TEXT_MIN, TEXT_FULL, TEXT_MAX = 0.08, 0.35, 0.8


@dataclass(frozen=True)
class MatchResult:
    assessment: Assessment
    needs: tuple[NeedResult, ...]

    def to_dict(self) -> dict[str, Any]:
        from referral.matching.serialize import match_to_dict

        return match_to_dict(self)


@dataclass
class _Pool:
    hits: dict[str, list[cands.Hit]]
    places: dict[str, Place]
    follow: dict[str, float]


def match(
    session: Session,
    assessment: Assessment,
    *,
    top: int = 10,
    now: datetime | None = None,
    weights: Mapping[str, float] | None = None,
    verified_since: date | None = None,
) -> MatchResult:
    """``verified_since``: leave out listings last verified before this day (never
    verified ones stay, labelled and demoted by the freshness factor)."""
    now = now or datetime.now(UTC)
    pool = gather(session, assessment.needs, assessment.facts)
    if verified_since is not None:
        pool.places = {
            key: p
            for key, p in pool.places.items()
            if p.assured_date is None or p.assured_date >= verified_since
        }
    facts = _client_facts(session, assessment.facts, pool)
    records: dict[str, ServiceRecord] = {}

    def load(service_ids: Sequence[str]) -> dict[str, ServiceRecord]:
        missing = [i for i in service_ids if i not in records]
        records.update(load_records(session, missing))
        return {i: records[i] for i in service_ids if i in records}

    found = {need: build_candidates(need, pool, now) for need in assessment.needs}
    load(
        sorted(
            {s for n, c in found.items() for s in first_checks(n, c, facts, now.date(), weights)}
        )
    )
    results = [
        rank(need, found[need], facts, top=top, today=now.date(), weights=weights, records=load)
        for need in assessment.needs
    ]
    return MatchResult(assessment, tuple(results))


def _client_facts(session: Session, facts: ClientFacts, pool: _Pool) -> ClientFacts:
    """Languages as ISO codes, and which of the candidates' service areas cover the
    client: the same answer ``records.with_covering_areas`` gives for those areas,
    without testing every area of a large directory."""
    codes = tuple(dict.fromkeys(language_code(x) or x for x in facts.languages))
    place = facts.place
    within = None
    if place is not None and place.lat is not None and place.lon is not None:
        services = {p.service_id for p in pool.places.values()}
        among = area_ids(session, services)
        within = frozenset(geo.areas_covering(session, place.lat, place.lon, among=among))
    return replace(facts, languages=codes, within_areas=within)


def gather(session: Session, needs: tuple[Need, ...], facts: ClientFacts) -> _Pool:
    table = cands.term_table(session)
    wanted = {n.domain: table.get(n.domain, {}) for n in needs}
    hits = cands.hits_for(session, wanted, facts.place)
    sal_ids = [h.service_at_location_id for found in hits.values() for h in found]
    places = load_places(session, sal_ids)
    follow = followthrough.follow_through(session, {p.organization_id for p in places.values()})
    return _Pool(hits, places, follow)


def build_candidates(need: Need, pool: _Pool, now: datetime) -> list[Candidate]:
    mapped = [h for h in pool.hits.get(need.domain, []) if _usable(h, pool)]
    texts = [
        " ".join([pool.places[h.service_at_location_id].text, *h.terms, h.terms_text])
        for h in mapped
    ]
    relevance = [h.term_weight for h in mapped]
    if need.detail and mapped:
        sims = textmatch.similarities(need.detail, texts)
        best = max(sims)
        if best > 0:
            relevance = [
                w * (DETAIL_FLOOR + (1 - DETAIL_FLOOR) * s / best)
                for w, s in zip(relevance, sims, strict=True)
            ]
    found = [_candidate(h, r, pool, now) for h, r in zip(mapped, relevance, strict=True)]
    taken = {h.service_at_location_id for h in mapped}
    loose = [
        h
        for h in pool.hits.get(cands.TEXT_POOL, [])
        if _usable(h, pool) and h.service_at_location_id not in taken
    ]
    if loose:
        sims = textmatch.similarities(
            cands.need_query_text(need), [pool.places[h.service_at_location_id].text for h in loose]
        )
        for h, s in zip(loose, sims, strict=True):
            if s >= TEXT_MIN:
                found.append(_candidate(h, TEXT_MAX * min(1.0, s / TEXT_FULL), pool, now))
    return found


def _usable(hit: cands.Hit, pool: _Pool) -> bool:
    return hit.service_at_location_id in pool.places


def _candidate(hit: cands.Hit, relevance: float, pool: _Pool, now: datetime) -> Candidate:
    p = pool.places[hit.service_at_location_id]
    return Candidate(
        service_at_location_id=p.service_at_location_id,
        service_id=p.service_id,
        organization_id=p.organization_id,
        service_name=p.service_name,
        organization_name=p.organization_name,
        record=None,  # loaded by the ranker for the candidates that could make the list
        relevance=round(relevance, 4),
        status=p.status,
        location_id=p.location_id,
        matched_terms=hit.terms,
        distance_km=hit.distance_km,
        languages=p.languages,
        open_now=p.open_at(now),
        accessible=p.accessible,
        capacity_available=p.capacity_available,
        assured_date=p.assured_date,
        follow_through=pool.follow.get(p.organization_id, followthrough.PRIOR_RATE),
        address=p.address,
    )


def factors_for(
    session: Session,
    facts: ClientFacts,
    need: Need,
    service_at_location_id: str,
    now: datetime,
) -> dict[str, float] | None:
    """The factor values one place gets for this client and need, as the ranker would
    compute them at ``now`` (None when the place is not a candidate for the need).
    Training uses it to rebuild what a referred result looked like."""
    from referral.matching.eligibility import check
    from referral.matching.ranking import eligibility_status, factor_values

    pool = gather(session, (need,), facts)
    client = _client_facts(session, facts, pool)
    found = [
        c
        for c in build_candidates(need, pool, now)
        if c.service_at_location_id == service_at_location_id
    ]
    if not found:
        return None
    record = load_records(session, [found[0].service_id]).get(found[0].service_id)
    if record is None:
        return None
    status = eligibility_status(check(record, client))
    return factor_values(found[0], status, client, now.date())
