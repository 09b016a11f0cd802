"""``referral dedupe`` and ``referral dedupe-eval`` from a shell, and the check that
``referral import`` queues likely duplicates of what it brought."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from referral.cli import main

ROOT = Path(__file__).resolve().parent.parent
DUPLICATES = ROOT / "tests" / "data" / "curation_duplicates"


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture(autouse=True)
def schema(cli_env: dict[str, str]) -> None:
    assert run(cli_env, "init").exit_code == 0


def test_import_queues_duplicates_and_dedupe_prints_them_as_json(cli_env):
    assert run(cli_env, "import", str(ROOT / "seed_data" / "sample")).exit_code == 0
    imported = run(cli_env, "import", str(DUPLICATES))
    assert imported.exit_code == 0, imported.output
    assert "possible duplicate pairs queued" in imported.output
    result = run(cli_env, "dedupe", "--json", "--min-score", "0.75")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["entity"] == "organization" and payload["count"] == len(payload["candidates"])
    first = payload["candidates"][0]
    assert set(first) == {
        "entity", "a_id", "b_id", "a_name", "b_name", "score", "reasons", "reason_codes"
    }  # fmt: skip
    assert 0.75 <= first["score"] <= 1 and first["reasons"]
    assert len(first["reasons"]) == len(first["reason_codes"])
    assert first["reasons"][0] == f"names {first['reason_codes'][0]['percent']}% alike"
    assert payload["count"] >= 25


def test_dedupe_prints_pairs_with_scores_and_reasons(cli_env):
    run(cli_env, "import", str(ROOT / "seed_data" / "sample"))
    run(cli_env, "import", str(DUPLICATES))
    result = run(cli_env, "dedupe", "--entity", "organization", "--record")
    assert result.exit_code == 0, result.output
    assert "likely" in result.output and "same phone" in result.output
    assert "new pairs queued for review" in result.output


def test_dedupe_rejects_an_unknown_entity_and_a_bad_score(cli_env):
    assert run(cli_env, "dedupe", "--entity", "taxonomy").exit_code != 0
    assert run(cli_env, "dedupe", "--min-score", "2").exit_code != 0


def test_dedupe_eval_reports_precision_and_recall(cli_env, tmp_path):
    run(cli_env, "import", str(ROOT / "seed_data" / "sample"))
    run(cli_env, "import", str(DUPLICATES))
    lines = (ROOT / "tests/data/duplicate_pairs.jsonl").read_text().splitlines()
    labels = [row for row in map(json.loads, lines) if not row["a"].startswith("miami:")]
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in labels))
    result = run(cli_env, "dedupe-eval", "--labels", str(path), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["pairs"] == len(labels) and report["missing"] == []
    assert report["precision"] >= 0.95 and report["recall"] >= 0.9
    assert [row["threshold"] for row in report["table"]] == sorted(
        row["threshold"] for row in report["table"]
    )
    text = run(cli_env, "dedupe-eval", "--labels", str(path))
    assert "precision" in text.output and "threshold  precision  recall" in text.output


def test_dedupe_eval_refuses_a_file_that_is_not_labels(cli_env, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"entity": "taxonomy", "a": "1", "b": "2", "label": 1}\n')
    result = run(cli_env, "dedupe-eval", "--labels", str(path))
    assert result.exit_code != 0 and "not a labels file" in result.output
