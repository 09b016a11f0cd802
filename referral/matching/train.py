"""``referral train``: learn the score weights from referral outcomes.

With at least MIN_OUTCOMES closed referrals (``outcomes.outcomes``: the factor values
the referred place had for the client that day, and whether the client got help), a
logistic regression (scikit-learn) of "got help" on the factor values gives one
coefficient per factor; negative ones are set to zero and the rest scaled to sum to 1,
the same scale as ``scoring.WEIGHTS``. Both weight sets are then compared on the
evaluation scenarios (nDCG@10, as ``referral eval`` computes it) and, as a second
figure, on the outcomes left out of the fit (how well each set's score separates
referrals that helped from those that did not, ROC AUC). The fitted weights are saved
in the instance folder with those figures, and the matcher uses them only if they
beat the named constants on the scenarios.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from referral.matching import scoring
from referral.matching.outcomes import Outcome, outcomes

# Fewer outcomes than this and a fitted weight per factor is mostly noise.
MIN_OUTCOMES = 200
WEIGHTS_FILE = "match_weights.json"
# Every HOLDOUT_EVERY-th outcome (in referral order) is kept out of the fit.
HOLDOUT_EVERY = 4
DEFAULT_SCENARIOS = (
    Path(__file__).resolve().parents[2] / "tests" / "data" / "match_scenarios_judged.json"
)


@dataclass(frozen=True)
class TrainReport:
    outcomes: int
    message: str
    fitted: dict[str, float] | None = None
    adopted: bool = False
    figures: dict[str, Any] = field(default_factory=dict)


def fit_weights(rows: Sequence[Outcome]) -> tuple[dict[str, float], dict[str, Any]]:
    """Weights from a logistic regression of "got help", and the model's parameters."""
    from sklearn.linear_model import LogisticRegression

    x = [[r.values.get(f, 0.0) for f in scoring.FACTORS] for r in rows]
    y = [int(r.got_help) for r in rows]
    model = LogisticRegression(max_iter=1000, random_state=0).fit(x, y)
    coefficients = [float(c) for c in model.coef_[0]]
    params = {
        "coefficients": dict(zip(scoring.FACTORS, coefficients, strict=True)),
        "intercept": float(model.intercept_[0]),
    }
    raw = [max(0.0, c) for c in coefficients]
    total = sum(raw)
    if total == 0:
        return dict(scoring.WEIGHTS), params
    return {f: round(w / total, 4) for f, w in zip(scoring.FACTORS, raw, strict=True)}, params


def separation(rows: Sequence[Outcome], weights: Mapping[str, float]) -> float | None:
    """ROC AUC of the weighted score against "got help" (None: one class only)."""
    from sklearn.metrics import roc_auc_score

    y = [int(r.got_help) for r in rows]
    if len(set(y)) < 2:
        return None
    scores = [
        sum(weights.get(f, 0.0) * r.values.get(f, 0.0) for f in scoring.FACTORS) for r in rows
    ]
    return round(float(roc_auc_score(y, scores)), 4)


def train(
    session: Session,
    instance_path: str | Path,
    scenarios_path: Path | None = None,
    *,
    min_outcomes: int = MIN_OUTCOMES,
) -> TrainReport:
    rows = outcomes(session)
    if len(rows) < min_outcomes:
        return TrainReport(
            len(rows),
            f"Not enough referral outcomes to train: {len(rows)} recorded, {min_outcomes} needed. "
            "The matcher keeps its named constant weights; nothing was changed.",
        )
    held_out = rows[HOLDOUT_EVERY - 1 :: HOLDOUT_EVERY]
    fit_rows = [r for i, r in enumerate(rows) if (i + 1) % HOLDOUT_EVERY]
    fitted, params = fit_weights(fit_rows)
    figures = _figures(session, scenarios_path or DEFAULT_SCENARIOS, fitted, held_out)
    adopted = figures["ndcg10_fitted"] > figures["ndcg10_constants"]
    save(
        instance_path,
        {
            "weights": fitted,
            "adopted": adopted,
            "model": {"kind": "sklearn LogisticRegression", **params},
            "outcomes": len(rows),
            "fit_on": len(fit_rows),
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            **figures,
        },
    )
    return TrainReport(len(rows), _message(len(rows), adopted, figures), fitted, adopted, figures)


def _figures(
    session: Session, scenarios_path: Path, fitted: Mapping[str, float], held_out: list[Outcome]
) -> dict[str, Any]:
    from referral.matching.evaluate import evaluate, load_scenarios

    scenarios = load_scenarios(scenarios_path)
    return {
        "scenarios": str(scenarios_path),
        "ndcg10_constants": evaluate(session, scenarios)["matcher"]["ndcg@10"],
        "ndcg10_fitted": evaluate(session, scenarios, weights=fitted)["matcher"]["ndcg@10"],
        "held_out": len(held_out),
        "auc_constants": separation(held_out, scoring.WEIGHTS),
        "auc_fitted": separation(held_out, fitted),
    }


def _message(count: int, adopted: bool, f: Mapping[str, Any]) -> str:
    verdict = (
        "adopted: the matcher now uses the fitted weights"
        if adopted
        else "kept the named constants (the fitted weights did not rank the scenarios better)"
    )
    return "\n".join(
        [
            f"Fitted on {count} referral outcomes; {verdict}.",
            f"nDCG@10 on the scenarios: constants {f['ndcg10_constants']:.4f}, "
            f"fitted {f['ndcg10_fitted']:.4f}",
            f"Held-out outcomes ({f['held_out']}), ROC AUC of the score: "
            f"constants {_num(f['auc_constants'])}, fitted {_num(f['auc_fitted'])}",
        ]
    )


def _num(value: float | None) -> str:
    return "n/a (one outcome only)" if value is None else f"{value:.4f}"


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
