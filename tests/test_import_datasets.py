"""Importing real data: the official HSDS 3.0 examples and the Miami 211 HSDS 1.x export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral.directory import models
from referral.directory.hsds_import import MalformedInput, load_path
from referral.directory.hsds_import.records import canonical_id

EXAMPLE_SERVICE = "ac148810-d857-441c-9679-408f346de14b"
EXAMPLE_LOCATION = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
DATA_FILES = [
    "location.json",
    "organization_full.json",
    "organization_list.json",
    "service_at_location_full.json",
    "service_at_location_list.json",
    "service_full.json",
    "service_list.json",
    "tabular.json",
    "taxonomy.json",
    "taxonomy_list.json",
    "taxonomy_term.json",
    "taxonomy_term_list.json",
]


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_official_json_example_imports_and_accounts_for_every_object(
    session: Session, datasets: Path, name: str
) -> None:
    summary = load_path(session, datasets / "hsds3" / "examples" / name)
    assert summary.unaccounted() == {}
    assert not [i for i in summary.issues if i.kind == "rejected"]
    stored = sum(c.created for c in summary.tables.values())
    assert stored >= 1


def test_the_example_api_root_is_refused_as_not_hsds_data(session: Session, datasets: Path) -> None:
    with pytest.raises(MalformedInput, match="not an HSDS record"):
        load_path(session, datasets / "hsds3" / "examples" / "base.json")


def test_the_full_example_service_brings_every_nested_object(
    session: Session, datasets: Path
) -> None:
    path = datasets / "hsds3" / "examples" / "service_full.json"
    summary = load_path(session, path)
    example = json.loads(path.read_text(encoding="utf-8"))
    service = session.get(models.Service, EXAMPLE_SERVICE)
    assert service is not None and service.organization_id == example["organization"]["id"]
    assert {p.id for p in service.phones} == {p["id"] for p in example["phones"]}
    assert len(service.service_at_locations) == 1 and service.program_id is not None
    assert count(session, models.Attribute) == count(session, models.Metadata) == 1
    assert count(session, models.TaxonomyTerm) == count(session, models.Taxonomy) == 1
    location = session.get(models.Location, EXAMPLE_LOCATION)
    assert location is not None and location.latitude is None and location.addresses
    assert any(i.table == "location" and "not a point on Earth" in i.reason for i in summary.issues)


def test_the_official_csv_package_imports_every_table(session: Session, datasets: Path) -> None:
    folder = datasets / "hsds3" / "examples" / "csv"
    summary = load_path(session, folder)
    assert summary.unaccounted() == {}
    for file in folder.glob("*.csv"):
        assert summary.files[file.name].read == 1, file.name
        assert summary.files[file.name].created == 1, file.name
    location = session.get(models.Location, EXAMPLE_LOCATION)
    assert location is not None and location.latitude is None


@pytest.mark.slow
def test_the_miami_211_package_imports_with_every_row_accounted_for(
    session: Session, datasets: Path
) -> None:
    folder = datasets / "miami211-hsds1"
    summary = load_path(session, folder)
    assert summary.unaccounted() == {}
    for name, table, model in [
        ("organizations.csv", "organization", models.Organization),
        ("services.csv", "service", models.Service),
        ("locations.csv", "location", models.Location),
    ]:
        ids = _source_ids(folder / "data" / name)
        rejected = {i.id for i in summary.issues if i.kind == "rejected" and i.table == table}
        stored = set(session.scalars(select(model.id)))
        missing = {i for i in ids if canonical_id(table, i) not in stored} - rejected
        assert not missing, f"{table}: {sorted(missing)[:5]} neither stored nor reported"
        assert summary.files[f"data/{name}"].read == len(ids)
    eligibility = summary.files["data/eligibility.csv"]
    assert eligibility.rejected == eligibility.read == 2244
    assert count(session, models.Attribute) == 26259
    again = load_path(session, folder)
    assert sum(c.created + c.updated for c in again.tables.values()) == 0
    assert count(session, models.Organization) == 1074


def _source_ids(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row["id"] for row in csv.DictReader(handle) if row["id"]]
