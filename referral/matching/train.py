"""``referral train``: learn the score weights from referral outcomes.

With at least MIN_OUTCOMES closed referrals, a logistic regression (scikit-learn) of
"the client got help" on the factor values of the referred result gives one
coefficient per factor; negative ones are set to zero and the rest scaled to sum to 1.
The fitted weights are saved in the instance folder with the scenario nDCG@10 of both
sets, and the matcher uses them only if they beat the named constants of
``scoring.WEIGHTS`` on the scenarios. Referrals arrive with issue 6; until then there
are no outcomes, and training says so and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from referral.matching import scoring

# Fewer outcomes than this and a fitted weight per factor is mostly noise.
MIN_OUTCOMES = 200
WEIGHTS_FILE = "match_weights.json"


@dataclass(frozen=True)
class Outcome:
    values: Mapping[str, float]  # factor -> value of the referred result
    got_help: bool


@dataclass(frozen=True)
class TrainReport:
    outcomes: int
    message: str
    fitted: dict[str, float] | None = None
    adopted: bool = False
    ndcg_constants: float | None = None
    ndcg_fitted: float | None = None


def outcomes(session: Session) -> list[Outcome]:
    """Closed referrals with the factor values of the result that was referred. Referrals
    do not record those values yet (the referral records only the service-at-location),
    and values recomputed today would not be what the case manager saw, so there are
    none to learn from until referrals keep them."""
    return []


def fit_weights(rows: Sequence[Outcome]) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression

    x = [[r.values.get(f, 0.0) for f in scoring.FACTORS] for r in rows]
    y = [int(r.got_help) for r in rows]
    model = LogisticRegression(max_iter=1000, random_state=0).fit(x, y)
    raw = [max(0.0, float(c)) for c in model.coef_[0]]
    total = sum(raw)
    if total == 0:
        return dict(scoring.WEIGHTS)
    return {f: round(w / total, 4) for f, w in zip(scoring.FACTORS, raw, strict=True)}


def train(
    session: Session, instance_path: str | Path, scenarios_path: Path | None = None
) -> TrainReport:
    rows = outcomes(session)
    if len(rows) < MIN_OUTCOMES:
        return TrainReport(
            len(rows),
            f"Not enough referral outcomes to train: {len(rows)} recorded, {MIN_OUTCOMES} needed. "
            "The matcher keeps its named constant weights; nothing was changed.",
        )
    if scenarios_path is None:
        return TrainReport(
            len(rows), "Give --scenarios to compare fitted weights with the constants."
        )
    fitted = fit_weights(rows)
    from referral.matching.evaluate import evaluate, load_scenarios

    scenarios = load_scenarios(scenarios_path)
    base = evaluate(session, scenarios)["matcher"]["ndcg@10"]
    tried = evaluate(session, scenarios, weights=fitted)["matcher"]["ndcg@10"]
    adopted = tried > base
    save(
        instance_path,
        {"weights": fitted, "adopted": adopted, "ndcg_constants": base, "ndcg_fitted": tried},
    )
    verdict = "adopted" if adopted else "kept the constants (fitted weights did not rank better)"
    return TrainReport(
        len(rows), f"Fitted on {len(rows)} outcomes: {verdict}.", fitted, adopted, base, tried
    )


def save(instance_path: str | Path, data: dict[str, Any]) -> None:
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (WEIGHTS_FILE + ".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    tmp.replace(folder / WEIGHTS_FILE)


def active_weights(instance_path: str | Path) -> dict[str, float] | None:
    """Fitted weights if training adopted them, else None (use ``scoring.WEIGHTS``)."""
    path = Path(instance_path) / WEIGHTS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    weights = data.get("weights") if isinstance(data, dict) and data.get("adopted") else None
    if not isinstance(weights, dict) or set(weights) != set(scoring.FACTORS):
        return None
    return {k: float(v) for k, v in weights.items()}
