"""Precision and recall of ``extract`` against hand labels of real listings.

The labels (tests/data/eligibility_labels.jsonl) hold, per text, the sha1 of its
normalized form and the criteria a person read in it; the texts themselves are read
from the dataset at evaluation time and never stored in the repository.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from referral.matching.criteria import Criterion
from referral.matching.extract import extract

LABELS = Path(__file__).resolve().parents[2] / "tests" / "data" / "eligibility_labels.jsonl"
ELIGIBILITY_CSV = Path("miami211-hsds1") / "data" / "eligibility.csv"
ItemKey = tuple[Any, ...]


def text_key(text: str) -> str:
    """Stable key of a listing's text: sha1 of the cleaned, space-collapsed text."""
    import ftfy

    normalized = re.sub(r"\s+", " ", ftfy.fix_text(text).replace("\\n", "\n")).strip()
    return hashlib.sha1(normalized.encode("utf-8")).hexdigest()[:16]


def item_key(kind: str, params: dict[str, Any]) -> ItemKey:
    """What must agree for a prediction to count: the kind and its key params."""
    if kind == "age":
        return ("age", params.get("min") or None, params.get("max"))
    if kind == "income":
        if "fpl_percent" in params:
            return ("income", "fpl", params["fpl_percent"])
        if "amount" in params:
            return ("income", "amount", params["amount"], params.get("period", "month"))
        return ("income", "low")
    if kind == "residency":
        scope = next(k for k in params if k != "areas")
        return ("residency", scope, tuple(sorted(params[scope])))
    return (kind, params["value"])


def flatten(criteria: list[Criterion]) -> list[ItemKey]:
    flat = [m for c in criteria for m in (c.members or (c,))]
    return [item_key(c.kind, c.params) for c in flat if not c.members]


@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    texts: int = 0

    def add(self, predicted: list[ItemKey], expected: list[ItemKey]) -> None:
        p, e = Counter(predicted), Counter(expected)
        for key, n in (p & e).items():
            self.tp[key[0]] += n
        for key, n in (p - e).items():
            self.fp[key[0]] += n
        for key, n in (e - p).items():
            self.fn[key[0]] += n
        self.texts += 1

    def figures(self, kind: str | None = None) -> dict[str, float | int]:
        pick = (lambda c: c[kind]) if kind else (lambda c: sum(c.values()))
        tp, fp, fn = pick(self.tp), pick(self.fp), pick(self.fn)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        return {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }

    def report(self) -> dict[str, Any]:
        kinds = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        return {
            "texts": self.texts,
            "overall": self.figures(),
            "by_kind": {k: self.figures(k) for k in kinds},
        }


def load_labels(path: Path = LABELS) -> dict[str, tuple[str, list[ItemKey]]]:
    """key -> (split, expected items); split "tuning" texts were read while writing the
    rules, "held-out" texts only after, so their figures are the honest estimate."""
    labels = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                items = [_label_key(c) for c in row["criteria"]]
                labels[row["key"]] = (row.get("split", "tuning"), items)
    return labels


def _label_key(c: dict[str, Any]) -> ItemKey:
    params = {k: v for k, v in c.items() if k != "kind"}
    return item_key(c["kind"], params)


def dataset_texts(datasets: Path) -> dict[str, str]:
    path = datasets / ELIGIBILITY_CSV
    if not path.exists():
        raise FileNotFoundError(f"{path} not found")
    with path.open(newline="", encoding="utf-8") as f:
        texts = [row.get("eligibility") or "" for row in csv.DictReader(f)]
    return {text_key(t): t for t in texts if t.strip()}


def evaluate_extraction(datasets: Path, labels_path: Path = LABELS) -> dict[str, Any]:
    labels = load_labels(labels_path)
    texts = dataset_texts(datasets)
    missing = sorted(set(labels) - set(texts))
    score, splits = Score(), dict[str, Score]()
    for key, (split, expected) in labels.items():
        if key in texts:
            predicted = flatten(extract(texts[key]))
            score.add(predicted, expected)
            splits.setdefault(split, Score()).add(predicted, expected)
    by_split = {name: {"texts": s.texts, **s.figures()} for name, s in sorted(splits.items())}
    return {**score.report(), "splits": by_split, "labeled": len(labels), "missing_texts": missing}
