"""Candidates for a need: the only part of ranking that reads the database.

Need -> taxonomy terms: the project's needs taxonomy (``directory.needs_taxonomy``, the
same table the seed writes to ``seed_data/sdoh_map.csv``) says which term codes answer
each Gravity SDOH category. We read that map from the package, not from the CSV, so a
directory imported from anywhere works without the seed folder; the directory's own
``taxonomy_term`` rows are matched by code, and their descendants (by ``parent_id``)
count too. The term-id map is cached per database and taxonomy size.

Services with none of the mapped terms (a directory whose taxonomy is missing or
foreign) are found by text: TF-IDF similarity (scikit-learn) between the need (its name,
the descriptions of its terms, the client's detail) and the service's own words.

Everything is prefiltered by place: a latitude/longitude box around the client (indexed
columns on both backends) that widens until enough candidates are found, and at most
CANDIDATE_CAP nearest places per need are loaded and judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral.directory import models as dm
from referral.directory.needs_taxonomy import TERMS
from referral.matching.assessment import Need, Place
from referral.matching.sitetable import SiteTable, site_table

# Search radii tried in turn until MIN_CANDIDATES places are found (km).
RADII_KM = (10.0, 25.0, 60.0, 150.0)
MIN_CANDIDATES = 25
# Places loaded and judged per need: bounds the work at any directory size.
CANDIDATE_CAP = 50
# Unmapped services (no term of the needs map) looked at for text matching.
TEXT_POOL_CAP = 60
# A term listed second for a category (SNAP help under financial insecurity) fits less.
PRIMARY_TERM, SECONDARY_TERM = 1.0, 0.7
TEXT_POOL = "*text*"
ALL_CODES = frozenset(t.code for t in TERMS)


@dataclass(frozen=True)
class TermMatch:
    weight: float
    name: str
    description: str = ""


@dataclass(frozen=True)
class Hit:
    """A service-at-location found for a need, with what made it a candidate."""

    service_at_location_id: str
    service_id: str
    location_id: str
    distance_km: float | None
    term_weight: float
    terms: tuple[str, ...]
    terms_text: str = ""


def domain_codes(domain: str) -> dict[str, float]:
    """Term code -> weight of the terms that answer this SDOH category."""
    return {
        t.code: PRIMARY_TERM if t.sdoh[0] == domain else SECONDARY_TERM
        for t in TERMS
        if domain in t.sdoh
    }


def term_table(session: Session) -> dict[str, dict[str, TermMatch]]:
    """SDOH category -> {taxonomy term id: match} for this database (cached)."""
    count, low, high = session.execute(
        select(func.count(), func.min(dm.TaxonomyTerm.id), func.max(dm.TaxonomyTerm.id))
    ).one()
    key = (id(session.get_bind()), count, low, high)
    if key not in _ROWS_CACHE:
        _ROWS_CACHE.clear()
        _ROWS_CACHE[key] = _term_table(_term_rows(session))
    return _ROWS_CACHE[key]


def need_terms(session: Session, domain: str) -> dict[str, TermMatch]:
    return term_table(session).get(domain, {})


TermRow = tuple[str, str | None, str, str | None, str]
_ROWS_CACHE: dict[tuple[object, ...], dict[str, dict[str, TermMatch]]] = {}


def _term_rows(session: Session) -> tuple[TermRow, ...]:
    t = dm.TaxonomyTerm
    rows = session.execute(select(t.id, t.code, t.name, t.parent_id, t.description).order_by(t.id))
    return tuple((r.id, r.code, r.name, r.parent_id, r.description or "") for r in rows)


def _term_table(rows: tuple[TermRow, ...]) -> dict[str, dict[str, TermMatch]]:
    domains = {code for t in TERMS for code in t.sdoh}
    children: dict[str, list[str]] = {}
    for term_id, _, _, parent, _ in rows:
        if parent:
            children.setdefault(parent, []).append(term_id)
    names = {r[0]: (r[2], r[4]) for r in rows}
    known = {r[0] for r in rows if r[1] in ALL_CODES}
    table: dict[str, dict[str, TermMatch]] = {}
    for domain in domains:
        codes = domain_codes(domain)
        found: dict[str, TermMatch] = {}
        for term_id, code, _, _, _ in rows:
            if code in codes:
                # children the needs map knows get their own weight (or none)
                for tid in _subtree(term_id, children, known):
                    if tid not in found or found[tid].weight < codes[code]:
                        found[tid] = TermMatch(codes[code], *names[tid])
        table[domain] = found
    return table


def _subtree(root: str, children: dict[str, list[str]], known: set[str]) -> list[str]:
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        if node not in out:
            out.append(node)
            stack.extend(c for c in children.get(node, ()) if c not in known)
    return out


def hits_for(
    session: Session, table: Mapping[str, dict[str, TermMatch]], place: Place | None
) -> dict[str, list[Hit]]:
    """Per need domain (and TEXT_POOL: places of services with no mapped term), the
    nearest places within the smallest of RADII_KM that holds MIN_CANDIDATES of them."""
    sites = site_table(session)
    found = {
        domain: _nearest(sites, sites.rows_with(terms), place, terms, CANDIDATE_CAP)
        for domain, terms in table.items()
    }
    loose = sites.rows_without(all_mapped_term_ids(term_table(session)))
    found[TEXT_POOL] = _nearest(sites, loose, place, {}, TEXT_POOL_CAP)
    return found


def _nearest(
    sites: SiteTable, rows: np.ndarray, place: Place | None, terms: dict[str, TermMatch], cap: int
) -> list[Hit]:
    if place is None or place.lat is None or place.lon is None:
        chosen = rows[:cap]
        km: list[float | None] = [None] * len(chosen)
    else:
        d = sites.distances(rows, place.lat, place.lon)
        keep = ~np.isnan(d)  # a place without a point cannot be placed in a radius
        rows, d = rows[keep], d[keep]
        order = np.argsort(d, kind="stable")  # rows are in id order: ties stay by id
        rows, d = rows[order], d[order]
        limit = len(d)
        for radius in RADII_KM:
            limit = int(np.searchsorted(d, radius, side="right"))
            if limit >= MIN_CANDIDATES:
                break
        chosen = rows[: min(limit, cap)]
        km = [float(x) for x in d[: min(limit, cap)]]
    hits = []
    for i, row in enumerate(chosen):
        matches = [terms[t] for t in sites.terms_of[row] if t in terms]
        hits.append(_hit(sites, int(row), km[i], matches))
    return hits


def _hit(sites: SiteTable, row: int, km: float | None, matches: list[TermMatch]) -> Hit:
    names = tuple(dict.fromkeys(m.name for m in sorted(matches, key=lambda m: (-m.weight, m.name))))
    text = " ".join(dict.fromkeys(m.description for m in matches if m.description))
    weight = max((m.weight for m in matches), default=0.0)
    return Hit(
        sites.sal_ids[row], sites.service_ids[row], sites.location_ids[row], km, weight, names, text
    )


def all_mapped_term_ids(table: Mapping[str, dict[str, TermMatch]]) -> set[str]:
    return {tid for terms in table.values() for tid in terms}


def need_query_text(need: Need) -> str:
    """The words a service answering this need would use: name, term texts, detail."""
    codes = domain_codes(need.domain)
    texts = [f"{t.name} {t.description}" for t in TERMS if t.code in codes]
    return " ".join([need.display, *texts, need.detail or "", need.detail or ""])
