"""``referral seed`` from a shell, against a scratch SQLite database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral import db
from referral.cli import main
from referral.directory import models as m
from referral.directory.hsds_import import load_path


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, ["seed", *args], env=env, catch_exceptions=False)


def count(env: dict[str, str], model: type[m.HsdsRecord]) -> int:
    engine = db.make_engine(env["REFERRAL_DATABASE_URL"])
    try:
        with Session(engine) as session:
            return session.scalar(select(func.count()).select_from(model)) or 0
    finally:
        engine.dispose()


def test_seed_loads_the_sample_and_a_second_run_changes_nothing(cli_env):
    first = run(cli_env)
    assert first.exit_code == 0, first.output
    services = count(cli_env, m.Service)
    assert services >= 300 and count(cli_env, m.Organization) == 124
    assert f"{services} services created" in first.output
    second = run(cli_env)
    assert second.exit_code == 0, second.output
    assert f"0 services created, 0 updated, {services} unchanged" in second.output
    assert count(cli_env, m.Service) == services


def test_seed_synthetic_bulk_loads_and_reports_both_times(cli_env):
    result = run(cli_env, "--synthetic", "30")
    assert result.exit_code == 0, result.output
    assert "Generated 30 services from 10 organizations in" in result.output
    assert "into sqlite in" in result.output
    assert count(cli_env, m.Service) == 30 and count(cli_env, m.Location) == 30


def test_seed_synthetic_refuses_to_load_the_same_seed_twice(cli_env):
    assert run(cli_env, "--synthetic", "6").exit_code == 0
    again = run(cli_env, "--synthetic", "6")
    assert again.exit_code != 0 and "seed 1 is already loaded" in again.output
    assert run(cli_env, "--synthetic", "6", "--seed", "2").exit_code == 0
    assert count(cli_env, m.Service) == 12


def test_seed_rejects_sizes_that_are_not_positive_whole_numbers(cli_env):
    for bad, message in (("0", "must be at least 1 service, got 0"),
                         ("-5", "must be at least 1 service, got -5"),
                         ("many", "'many' is not a whole number of services")):  # fmt: skip
        result = run(cli_env, "--synthetic", bad)
        assert result.exit_code == 2 and message in result.output, result.output


def test_seed_out_writes_a_package_the_importer_reads(cli_env, session, tmp_path):
    result = run(cli_env, "--synthetic", "12", "--out", str(tmp_path / "pkg"))
    assert result.exit_code == 0, result.output
    assert "Wrote 12 services from 4 organizations" in result.output
    descriptor = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    summary = load_path(session, tmp_path / "pkg", actor="test")
    assert summary.tables["service"].created == 12
    assert not [issue for issue in summary.issues if issue.kind == "rejected"]


def test_seed_out_refuses_a_folder_that_is_not_empty(cli_env, tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "keep.txt").write_text("mine", encoding="utf-8")
    result = run(cli_env, "--synthetic", "5", "--out", str(tmp_path / "pkg"))
    assert result.exit_code == 2 and "is not empty" in result.output
    assert [p.name for p in (tmp_path / "pkg").iterdir()] == ["keep.txt"]


def test_seed_out_alone_writes_the_sample_package(cli_env, tmp_path):
    result = run(cli_env, "--out", str(tmp_path / "sample"))
    assert result.exit_code == 0, result.output
    written = (tmp_path / "sample" / "services.csv").read_bytes()
    committed = Path(__file__).resolve().parent.parent / "seed_data" / "sample" / "services.csv"
    assert written == committed.read_bytes()
