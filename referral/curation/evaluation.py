"""Precision and recall of duplicate detection on labeled pairs.

A labels file has one JSON object a line: ``entity`` (organization, service,
location), ``a`` and ``b`` (record ids; ``miami:136``-style references name the source
id of an imported non-UUID record), ``label`` (1 duplicate, 0 not) and a ``note``.
A pair counts as found only if blocking proposes it *and* it scores at or above the
threshold, so recall includes what blocking misses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from referral.curation import scoring
from referral.curation.features import Corpus, candidate_pairs, pair_features
from referral.curation.models import ENTITIES, ordered
from referral.curation.profiles import load_profiles
from referral.curation.reason_codes import Reason
from referral.curation.reasons import reason_texts
from referral.directory.hsds_import.records import canonical_id

# Thresholds shown in the precision/recall table.
TABLE_THRESHOLDS = (0.45, 0.55, 0.65, 0.75, 0.85, 0.95)


@dataclass(frozen=True)
class LabeledPair:
    entity: str
    a_id: str
    b_id: str
    label: bool
    note: str


@dataclass(frozen=True)
class Judged:
    pair: LabeledPair
    blocked: bool
    score: float
    reasons: tuple[Reason, ...]


@dataclass
class Evaluation:
    threshold: float
    judged: list[Judged] = field(default_factory=list)
    missing: list[LabeledPair] = field(default_factory=list)

    def counts(self, threshold: float | None = None) -> tuple[int, int, int]:
        """(true positives, false positives, false negatives) at ``threshold``."""
        cut = self.threshold if threshold is None else threshold
        tp = fp = fn = 0
        for j in self.judged:
            found = j.blocked and j.score >= cut
            tp += found and j.pair.label
            fp += found and not j.pair.label
            fn += (not found) and j.pair.label
        return tp, fp, fn

    def precision_recall(self, threshold: float | None = None) -> tuple[float, float]:
        tp, fp, fn = self.counts(threshold)
        return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)

    def errors(self) -> list[Judged]:
        return [j for j in self.judged if (j.blocked and j.score >= self.threshold) != j.pair.label]

    def to_dict(self) -> dict[str, Any]:
        precision, recall = self.precision_recall()
        tp, fp, fn = self.counts()
        return {
            "threshold": self.threshold,
            "pairs": len(self.judged),
            "positives": sum(j.pair.label for j in self.judged),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "true_positives": tp,
            "false_positives": fp,
            "false_negatives": fn,
            "not_blocked": sum(j.pair.label and not j.blocked for j in self.judged),
            "table": [_row(self, t) for t in TABLE_THRESHOLDS],
            "errors": [_error(j) for j in self.errors()],
            "missing": [f"{p.entity} {p.a_id} {p.b_id}" for p in self.missing],
        }


def _row(evaluation: Evaluation, threshold: float) -> dict[str, float]:
    precision, recall = evaluation.precision_recall(threshold)
    return {"threshold": threshold, "precision": round(precision, 4), "recall": round(recall, 4)}


def _error(j: Judged) -> dict[str, Any]:
    return {
        "entity": j.pair.entity,
        "a": j.pair.a_id,
        "b": j.pair.b_id,
        "label": int(j.pair.label),
        "score": j.score,
        "blocked": j.blocked,
        "reasons": reason_texts(j.reasons),
        "reason_codes": [r.to_json() for r in j.reasons],
        "note": j.pair.note,
    }


def resolve(entity: str, reference: str) -> str:
    """``miami:136`` -> the id the importer gave source id 136; ids stay as they are."""
    if ":" in reference:
        return canonical_id(entity, reference.split(":", 1)[1])
    return reference


def read_labels(path: Path | str) -> list[LabeledPair]:
    pairs = []
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                pairs.append(_parse(json.loads(line), f"{path}:{number}"))
    return pairs


def _parse(row: dict[str, Any], where: str) -> LabeledPair:
    entity = row.get("entity")
    if entity not in ENTITIES or row.get("label") not in (0, 1, True, False):
        raise ValueError(f"{where}: needs entity ({', '.join(ENTITIES)}) and label 0 or 1")
    a_id, b_id = ordered(resolve(entity, str(row["a"])), resolve(entity, str(row["b"])))
    return LabeledPair(entity, a_id, b_id, bool(row["label"]), str(row.get("note", "")))


def evaluate(
    session: Session,
    labels: Iterable[LabeledPair],
    threshold: float = scoring.DUPLICATE_THRESHOLD,
) -> Evaluation:
    evaluation = Evaluation(threshold)
    by_entity: dict[str, list[LabeledPair]] = {}
    for pair in labels:
        by_entity.setdefault(pair.entity, []).append(pair)
    for entity, pairs in by_entity.items():
        profiles = load_profiles(session, entity)
        by_id = {p.id: p for p in profiles}
        corpus = Corpus.of(profiles)
        wanted = {i for p in pairs for i in (p.a_id, p.b_id)}
        blocked = candidate_pairs(profiles, corpus, wanted)
        for pair in pairs:
            if pair.a_id not in by_id or pair.b_id not in by_id:
                evaluation.missing.append(pair)
                continue
            features = pair_features(by_id[pair.a_id], by_id[pair.b_id], corpus)
            scored = scoring.score_pair(features)
            is_blocked = (pair.a_id, pair.b_id) in blocked
            evaluation.judged.append(Judged(pair, is_blocked, scored.score, scored.reasons))
    return evaluation
