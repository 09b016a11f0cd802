"""``referral export`` from a shell: formats, validation, and what it refuses to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.orm import Session
from test_export import build_directory

from referral import db
from referral.cli import main
from referral.directory import models as m


@pytest.fixture
def cli_database(cli_env: dict[str, str]) -> dict[str, str]:
    """A scratch SQLite directory with one of every HSDS object, committed."""
    engine = db.make_engine(cli_env["REFERRAL_DATABASE_URL"])
    try:
        db.upgrade(engine)
        with Session(engine) as session, session.begin():
            build_directory(session)
    finally:
        engine.dispose()
    return cli_env


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, ["export", *args], env=env, catch_exceptions=False)


def test_json_export_writes_services_and_organizations(cli_database, tmp_path):
    result = run(cli_database, "--format", "json", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "2 services, 1 organizations" in result.output and "2 taxonomy_terms" in result.output
    services = json.loads((tmp_path / "out" / "services.json").read_text(encoding="utf-8"))
    assert {s["name"] for s in services} == {"Food Pantry", "Bare service"}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "organizations.json",
        "services.json",
        "taxonomies.json",
        "taxonomy_terms.json",
    ]


def test_csv_export_writes_a_tabular_data_package(cli_database, tmp_path):
    result = run(cli_database, "--format", "csv", str(tmp_path / "pkg"))
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "pkg").iterdir()}
    assert {"datapackage.json", "services.csv", "taxonomy_terms.csv", "units.csv"} <= names


def test_validated_export_passes_and_says_so(cli_database, datasets, tmp_path, monkeypatch):
    monkeypatch.setenv("REFERRAL_HSDS_SCHEMA_DIR", str(datasets / "hsds3/schema/compiled"))
    for fmt in ("json", "csv"):
        result = run(cli_database, "--format", fmt, "--validate", str(tmp_path / fmt))
        assert result.exit_code == 0, result.output
        assert "every record valid" in result.output


def test_an_invalid_record_fails_validation_and_writes_nothing(cli_database, datasets, tmp_path):
    engine = db.make_engine(cli_database["REFERRAL_DATABASE_URL"])
    with Session(engine) as session, session.begin():
        org = session.query(m.Organization).one()
        org.website = "example dot org"
        org_id = org.id
    engine.dispose()
    env = {**cli_database, "REFERRAL_HSDS_SCHEMA_DIR": str(datasets / "hsds3/schema/compiled")}
    out = tmp_path / "out"
    result = run(env, "--format", "json", "--validate", str(out))
    assert result.exit_code == 1
    assert f"organization record {org_id}: at /website" in result.output
    assert "format" in result.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_validation_without_schemas_says_where_it_looked(cli_database, tmp_path):
    env = {**cli_database, "REFERRAL_HSDS_SCHEMA_DIR": str(tmp_path / "nowhere")}
    result = run(env, "--validate", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "cannot validate" in result.output and str(tmp_path / "nowhere") in result.output


def test_a_non_empty_folder_is_refused_without_force(cli_database, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run(cli_database, str(out))
    assert result.exit_code == 1
    assert "not empty" in result.output and "--force" in result.output
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_force_replaces_export_files_and_keeps_other_files(cli_database, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    (out / "services.json").write_text("stale", encoding="utf-8")
    result = run(cli_database, "--force", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert json.loads((out / "services.json").read_text(encoding="utf-8"))[0]["id"]


def test_an_unknown_format_is_a_usage_error(cli_database, tmp_path):
    result = run(cli_database, "--format", "xml", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.output


def test_a_file_in_the_way_is_a_clear_error(cli_database, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run(cli_database, str(blocker))
    assert result.exit_code == 1 and "is not a folder" in result.output
    result = run(cli_database, str(blocker / "out"))
    assert result.exit_code == 1 and f"cannot write to {blocker / 'out'}" in result.output


def test_an_unwritable_place_is_a_clear_error(cli_database, tmp_path):
    # /proc refuses new folders even to root, which a chmod-ed folder would not.
    if not Path("/proc/self").is_dir():
        pytest.skip("needs Linux /proc as an unwritable place")
    result = run(cli_database, "/proc/referral-export/out")
    assert result.exit_code == 1
    assert "cannot write to /proc/referral-export/out" in result.output


def test_export_of_a_database_without_schema_is_a_clear_error(cli_env, tmp_path):
    result = run(cli_env, str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "cannot read the directory" in result.output
    assert not (tmp_path / "out").exists()


def test_json_summary_is_machine_readable(cli_database, tmp_path):
    result = run(cli_database, "--format", "csv", "--json", str(tmp_path / "out"))
    summary = json.loads(result.output)
    assert summary["counts"]["services.csv"] == 2 and summary["validated"] is False


def test_help_explains_formats(cli_env):
    result = run(cli_env, "--help")
    assert result.exit_code == 0
    assert "tabular data package" in result.output and "--validate" in result.output
