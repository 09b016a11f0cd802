"""``referral eval``: how well the matcher ranks on labeled scenarios, beside two
baselines run in the same pass: keyword search only (the search engine, with the
words a case manager would type for the need) and nearest first (every open place by
distance, need ignored).

A scenario is a client (location, facts, needs) plus graded judgments
``{"need domain": {"service id": grade 0-3}}``; unjudged services count as 0. A
service listed at several places counts once (its first place). "Ineligible in top
10" counts results whose ``eligibility.check`` verdict for the client is ineligible.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from referral.directory.needs_taxonomy import TERMS
from referral.matching.assessment import Assessment, InvalidClient, Need, parse_client
from referral.matching.checks import verdicts_for
from referral.matching.match import match
from referral.matching.sitetable import site_table

SYSTEMS = ("matcher", "keyword", "nearest")
DEPTH = 10


class InvalidScenarios(ValueError):
    pass


@dataclass(frozen=True)
class Scenario:
    name: str
    assessment: Assessment
    judgments: dict[str, dict[str, int]]


@dataclass
class Figures:
    ndcg5: list[float] = field(default_factory=list)
    ndcg10: list[float] = field(default_factory=list)
    ineligible_top10: int = 0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "ndcg@5": round(float(np.mean(self.ndcg5)) if self.ndcg5 else 0.0, 4),
            "ndcg@10": round(float(np.mean(self.ndcg10)) if self.ndcg10 else 0.0, 4),
            "ineligible_in_top10": self.ineligible_top10,
        }


def load_scenarios(path: Path) -> list[Scenario]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidScenarios(f"cannot read scenarios from {path}: {exc}") from exc
    items = data.get("scenarios") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise InvalidScenarios('the file must hold a list of scenarios (or {"scenarios": [...]})')
    return [parse_scenario(item, i) for i, item in enumerate(items)]


def parse_scenario(item: Any, i: int) -> Scenario:
    where = f"scenarios[{i}]"
    if not isinstance(item, dict):
        raise InvalidScenarios(f"{where}: must be an object")
    client = {k: v for k, v in item.items() if k not in ("name", "notes", "judgments")}
    try:
        assessment = parse_client(client)
    except InvalidClient as exc:
        raise InvalidScenarios(f"{where}.{exc.field}: {exc.detail}") from exc
    judgments = item.get("judgments")
    if not isinstance(judgments, dict):
        raise InvalidScenarios(f"{where}.judgments: must map need domains to {{service id: grade}}")
    for domain, grades in judgments.items():
        bad = [g for g in (grades or {}).values() if g not in (0, 1, 2, 3)]
        if not isinstance(grades, dict) or bad:
            raise InvalidScenarios(f"{where}.judgments.{domain}: grades must be 0, 1, 2 or 3")
    return Scenario(str(item.get("name") or where), assessment, judgments)


def dcg(grades: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg(ranked_services: Sequence[str], grades: Mapping[str, int], k: int) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    got = [grades.get(s, 0) for s in list(dict.fromkeys(ranked_services))[:k]]
    return dcg(got) / ideal


Ranker = Callable[[Session, Assessment, Need], list[str]]


def matcher_ranking(now: datetime | None, weights: Mapping[str, float] | None) -> Ranker:
    def run(session: Session, assessment: Assessment, need: Need) -> list[str]:
        one = Assessment(assessment.facts, (need,))
        result = match(session, one, top=DEPTH, now=now, weights=weights)
        return [r.candidate.service_id for r in result.needs[0].results]

    return run


def keyword_ranking(index: Any) -> Ranker:
    from referral.search.query import SearchParams
    from referral.search.service import search

    def run(session: Session, assessment: Assessment, need: Need) -> list[str]:
        found = search(session, SearchParams(q=keyword_query(need), per_page=DEPTH * 2), index)
        return [r.service_id for r in found.results]

    return run


def keyword_query(need: Need) -> str:
    """What a case manager would type: the detail, else the need's broadest term name."""
    if need.detail:
        return need.detail
    names = [t.name for t in TERMS if t.sdoh[0] == need.domain]
    return names[0] if names else need.display


def nearest_ranking(session: Session, assessment: Assessment, need: Need) -> list[str]:
    place = assessment.facts.place
    sites = site_table(session)
    rows = np.flatnonzero(sites.open)
    if place is None or place.lat is None or place.lon is None:
        return [sites.service_ids[r] for r in rows[: DEPTH * 3]]
    d = sites.distances(rows, place.lat, place.lon)
    order = np.argsort(np.where(np.isnan(d), np.inf, d), kind="stable")
    return [sites.service_ids[r] for r in rows[order[: DEPTH * 3]]]


def evaluate(
    session: Session,
    scenarios: Sequence[Scenario],
    *,
    index: Any = None,
    now: datetime | None = None,
    weights: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    from referral.search.fallback import DatabaseIndex

    rankers: dict[str, Ranker] = {
        "matcher": matcher_ranking(now, weights),
        "keyword": keyword_ranking(index or DatabaseIndex(degraded=False)),
        "nearest": nearest_ranking,
    }
    figures = {name: Figures() for name in SYSTEMS}
    for scenario in scenarios:
        for need in scenario.assessment.needs:
            grades = scenario.judgments.get(need.domain, {})
            for name, ranker in rankers.items():
                ranked = list(dict.fromkeys(ranker(session, scenario.assessment, need)))
                _score(figures[name], session, scenario, ranked, grades)
    report = {name: f.to_dict() for name, f in figures.items()}
    return {"scenarios": len(scenarios), "needs": len(figures["matcher"].ndcg10), **report}


def _score(
    f: Figures, session: Session, scenario: Scenario, ranked: list[str], grades: Mapping[str, int]
) -> None:
    f.ndcg5.append(ndcg(ranked, grades, 5))
    f.ndcg10.append(ndcg(ranked, grades, 10))
    verdicts = verdicts_for(session, ranked[:DEPTH], scenario.assessment.facts)
    f.ineligible_top10 += sum(v.status == "ineligible" for v in verdicts.values())


def format_report(report: Mapping[str, Any]) -> str:
    lines = [f"{report['scenarios']} scenarios, {report['needs']} needs judged", ""]
    lines.append(f"{'system':<10} {'nDCG@5':>8} {'nDCG@10':>8} {'ineligible in top 10':>22}")
    for name in SYSTEMS:
        r = report[name]
        lines.append(
            f"{name:<10} {r['ndcg@5']:>8.4f} {r['ndcg@10']:>8.4f} {r['ineligible_in_top10']:>22}"
        )
    best = max(report["keyword"]["ndcg@10"], report["nearest"]["ndcg@10"])
    lines.append("")
    lines.append(
        f"matcher nDCG@10 minus the better baseline: {report['matcher']['ndcg@10'] - best:+.4f}"
    )
    return "\n".join(lines)
