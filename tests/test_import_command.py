"""``referral import`` against a scratch SQLite file."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from referral import db
from referral.cli import main
from referral.directory import models

SERVICES = [
    {
        "id": "22222222-2222-4222-8222-222222222222",
        "name": "Food Pantry ",
        "status": "active",
        "organization": {
            "id": "11111111-1111-4111-8111-111111111111",
            "name": "Helping Hands",
            "description": "A charity.",
        },
    },
    {"id": "33333333-3333-4333-8333-333333333333", "name": "Shelter", "status": "open"},
]


@pytest.fixture
def cli_db(cli_env: dict[str, str]) -> Iterator[Engine]:
    engine = db.make_engine(cli_env["REFERRAL_DATABASE_URL"])
    db.upgrade(engine)
    yield engine
    engine.dispose()


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, ["import", *args], env=env, catch_exceptions=False)


def services_in(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(models.Service)) or 0


def test_import_prints_a_json_summary_and_writes_the_report(
    cli_env: dict[str, str], cli_db: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "services.json"
    path.write_text(json.dumps(SERVICES), encoding="utf-8")
    report = tmp_path / "report.csv"
    result = run(cli_env, str(path), "--json", "--report", str(report), "--batch-size", "1")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert set(summary) == {"tables", "files", "issues", "notes", "seconds"}
    assert summary["tables"]["service"] == {
        "read": 2, "created": 1, "updated": 0, "unchanged": 0,
        "rejected": 1, "merged": 0, "repaired": 1,
    }  # fmt: skip
    assert summary["files"]["services.json"]["read"] == 3
    assert summary["issues"] == {"repaired": 1, "rejected": 1}
    with report.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["kind"], r["table"], r["line"]) for r in rows} == {
        ("repaired", "service", "1"),
        ("rejected", "service", "2"),
    }
    rejected = next(r for r in rows if r["kind"] == "rejected")
    assert "'open' is not one of" in rejected["reason"] and rejected["original"] == "open"
    assert services_in(cli_db) == 1


def test_import_prints_a_table_and_reimport_changes_nothing(
    cli_env: dict[str, str], cli_db: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "services.json"
    path.write_text(json.dumps(SERVICES[:1]), encoding="utf-8")
    first = run(cli_env, str(path))
    assert first.exit_code == 0, first.output
    assert "organization" in first.output and "created" in first.output
    again = run(cli_env, str(path), "--json")
    tables = json.loads(again.output)["tables"]
    assert tables["service"]["unchanged"] == tables["organization"]["unchanged"] == 1
    assert services_in(cli_db) == 1


def test_a_malformed_file_exits_non_zero_and_imports_nothing(
    cli_env: dict[str, str], cli_db: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "services.json"
    path.write_text(json.dumps(SERVICES)[:-20], encoding="utf-8")
    result = run(cli_env, str(path))
    assert result.exit_code != 0
    assert "nothing imported" in result.output and "not valid JSON" in result.output
    assert services_in(cli_db) == 0


def test_a_missing_path_is_a_usage_error(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = run(cli_env, str(tmp_path / "nowhere.json"))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_report_named_json_is_written_as_json(
    cli_env: dict[str, str], cli_db: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "services.json"
    path.write_text(json.dumps(SERVICES), encoding="utf-8")
    report = tmp_path / "report.json"
    assert run(cli_env, str(path), "--report", str(report)).exit_code == 0
    rows = json.loads(report.read_text(encoding="utf-8"))
    assert {row["kind"] for row in rows} == {"repaired", "rejected"}
    assert set(rows[0]) == {
        "kind", "table", "source", "line", "id", "field", "reason", "original", "repaired",
    }  # fmt: skip
