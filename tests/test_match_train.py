"""``referral train``: fitting score weights from referral outcomes, and adopting them
only when they rank the evaluation scenarios better than the named constants."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from match_outcome_history import make_history
from sqlalchemy.orm import Session

from referral.matching import scoring, sitetable
from referral.matching.outcomes import Outcome, facts_on, outcomes
from referral.matching.train import WEIGHTS_FILE, active_weights, fit_weights, save, train

SCENARIOS = Path(__file__).resolve().parent / "data" / "match_scenarios_judged.json"


@pytest.fixture(scope="module")
def seeded(seeded_session: Session) -> Iterator[Session]:
    sitetable.clear()
    yield seeded_session
    sitetable.clear()


@pytest.fixture(scope="module")
def history(seeded: Session) -> Session:
    made = make_history(seeded, 240)
    assert made >= 220
    return seeded


@pytest.fixture
def few_scenarios(tmp_path: Path) -> Path:
    data = json.loads(SCENARIOS.read_text(encoding="utf-8"))
    path = tmp_path / "scenarios.json"
    path.write_text(json.dumps({"scenarios": data["scenarios"][:6]}), encoding="utf-8")
    return path


def test_without_enough_outcomes_training_changes_nothing(seeded: Session, tmp_path: Path) -> None:
    report = train(seeded, tmp_path)
    assert "Not enough referral outcomes" in report.message
    assert not (tmp_path / WEIGHTS_FILE).exists()
    assert active_weights(tmp_path) is None


@pytest.mark.slow
def test_outcomes_are_rebuilt_from_the_facts_known_on_the_referral_day(history: Session) -> None:
    rows = outcomes(history)
    assert len(rows) >= 220
    assert {r.got_help for r in rows} == {True, False}
    assert all(set(r.values) == set(scoring.FACTORS) for r in rows)


@pytest.mark.slow
def test_training_fits_saves_both_figures_and_adopts_only_a_better_ranking(
    history: Session, tmp_path: Path, few_scenarios: Path
) -> None:
    report = train(history, tmp_path, few_scenarios, min_outcomes=200)
    saved = json.loads((tmp_path / WEIGHTS_FILE).read_text(encoding="utf-8"))
    assert set(saved["weights"]) == set(scoring.FACTORS)
    assert abs(sum(saved["weights"].values()) - 1) < 0.01
    assert saved["model"]["kind"].startswith("sklearn")
    for figure in ("ndcg10_constants", "ndcg10_fitted", "auc_constants", "auc_fitted"):
        assert figure in saved and f"{saved[figure]:.4f}" in report.message
    assert saved["adopted"] == (saved["ndcg10_fitted"] > saved["ndcg10_constants"])
    assert (active_weights(tmp_path) is not None) == saved["adopted"]
    # The synthetic outcomes follow distance and language; the fit finds them.
    assert saved["weights"]["distance"] > 0 and saved["weights"]["language"] > 0
    assert saved["auc_fitted"] > 0.6


def test_fitted_weights_put_weight_where_outcomes_depend() -> None:
    rows = [
        Outcome(str(i), {**{f: 0.5 for f in scoring.FACTORS}, "distance": d}, d > 0.5)
        for i, d in enumerate([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9] * 10)
    ]
    weights, params = fit_weights(rows)
    assert max(weights, key=weights.__getitem__) == "distance"
    assert params["coefficients"]["distance"] > 0


def test_weights_that_were_not_adopted_are_never_used(tmp_path: Path) -> None:
    fitted = {f: round(1 / len(scoring.FACTORS), 4) for f in scoring.FACTORS}
    save(tmp_path, {"weights": fitted, "adopted": False})
    assert active_weights(tmp_path) is None
    save(tmp_path, {"weights": fitted, "adopted": True})
    assert active_weights(tmp_path) == fitted
    save(tmp_path, {"weights": {"relevance": 1.0}, "adopted": True})  # a factor missing
    assert active_weights(tmp_path) is None


def test_facts_on_a_day_ignore_facts_observed_later(seeded: Session) -> None:
    from datetime import UTC, date, datetime

    from sqlalchemy import select

    from referral.directory import models as dm
    from referral.referrals.models import Client, ClientFact

    org = seeded.scalars(select(dm.Organization.id)).first()
    client = Client(
        organization_id=org, given_name="A", family_name="B", birth_date=date(1960, 6, 1)
    )
    seeded.add(client)
    seeded.flush()
    seeded.add_all(
        [
            ClientFact(
                client_id=client.id, name="monthly_income", value=900, observed_on=date(2026, 1, 5)
            ),
            ClientFact(
                client_id=client.id, name="monthly_income", value=4000, observed_on=date(2026, 9, 1)
            ),
        ]
    )
    seeded.flush()
    facts = facts_on(seeded, client.id, datetime(2026, 5, 1, tzinfo=UTC))
    assert facts.monthly_income == 900
    assert facts.age == 65  # from the birth date, on that day
