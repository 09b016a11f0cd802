"""Print, for each need of each scenario, the candidate services a judge should read
and grade (the pooling step of tests/data/match_scenarios_judged.json's protocol).

    REFERRAL_INSTANCE_DIR=... python tests/data/print_match_pools.py SCENARIOS.json

The pool is the keyword baseline's top 12, the nearest-first baseline's top 10, the
matcher's top 10, and every service whose taxonomy maps to the need's domain with a
site within 30 km; each line shows what the judge needs to read: the listing's
name, organization, status, eligibility text, service areas, languages and distance.
Grades are then written by hand into the scenarios file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sqlalchemy import select

from referral import db
from referral.cli import app_context
from referral.directory import models as dm
from referral.matching import evaluate as ev
from referral.matching.candidates import domain_codes
from referral.matching.sitetable import site_table
from referral.search.fallback import DatabaseIndex

POOL_KM = 30.0


def main(path: Path) -> None:
    scenarios = ev.load_scenarios(path)
    with app_context():
        session = db.session()
        keyword = ev.keyword_ranking(DatabaseIndex(degraded=False))
        matcher = ev.matcher_ranking(None, None)
        services = {s.id: s for s in session.scalars(select(dm.Service))}
        sites = site_table(session)
        for scenario in scenarios:
            for need in scenario.assessment.needs:
                pool = _pool(session, scenario, need, keyword, matcher, sites)
                print(f"\n### {scenario.name} | NEED {need.domain}: {need.detail or ''}")
                for km, sid, sources in sorted(pool):
                    s = services[sid]
                    print(
                        f"  {sid} {sources:<4} {km:5.1f} km {s.name} [{s.status}] "
                        f"E: {s.eligibility_description or ''}"
                    )


def _pool(session, scenario, need, keyword, matcher, sites):  # type: ignore[no-untyped-def]
    sources: dict[str, str] = {}
    a = scenario.assessment
    for tag, ranked, depth in (
        ("K", keyword(session, a, need), 12),
        ("N", ev.nearest_ranking(session, a, need), 10),
        ("M", matcher(session, a, need), 10),
    ):
        for sid in list(dict.fromkeys(ranked))[:depth]:
            sources[sid] = sources.get(sid, "") + tag
    place = a.facts.place
    rows = np.arange(len(sites.service_ids))
    dist = sites.distances(rows, place.lat, place.lon) if place and place.lat is not None else None
    codes = set(domain_codes(need.domain))
    term_ids = set(
        session.scalars(select(dm.TaxonomyTerm.id).where(dm.TaxonomyTerm.code.in_(codes)))
    )
    best: dict[str, float] = {}
    for row in rows:
        sid = sites.service_ids[row]
        km = float(dist[row]) if dist is not None else float("nan")
        best[sid] = min(best.get(sid, km), km)
        if (
            term_ids & set(sites.terms_of[row])
            and km <= POOL_KM
            and "T" not in sources.get(sid, "")
        ):
            sources[sid] = sources.get(sid, "") + "T"
    return [(best.get(sid, float("nan")), sid, tags) for sid, tags in sources.items()]


if __name__ == "__main__":
    main(Path(sys.argv[1]))
