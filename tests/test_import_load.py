"""Importing small hand-made HSDS inputs: JSON, 3.0 CSV, legacy 1.x CSV, zip; repairs,
idempotent re-import with its audit trail, and malformed input leaving the database as it was."""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral.directory import models
from referral.directory.hsds_import import MalformedInput, load_path
from referral.directory.hsds_import.records import canonical_id

ORG = "11111111-1111-4111-8111-111111111111"
SERVICE = "22222222-2222-4222-8222-222222222222"
LOCATION = "33333333-3333-4333-8333-333333333333"


def write_csvs(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(content.strip() + "\n", encoding="utf-8")
    return folder


def service_json(**changes: Any) -> dict[str, Any]:
    service = {
        "id": SERVICE,
        "name": "Food Pantry",
        "status": "Active ",
        "description": "Groceries once a week.\\nBring a bag.",
        "organization": {"id": ORG, "name": "Helping Hands", "description": "A charity."},
        "service_at_locations": [
            {
                "id": "44444444-4444-4444-8444-444444444444",
                "location": {
                    "id": LOCATION,
                    "location_type": "physical",
                    "name": "Main hall",
                    "latitude": 100,
                    "longitude": 101,
                    "addresses": [
                        {
                            "id": "55555555-5555-4555-8555-555555555555",
                            "address_1": "1 Main St",
                            "city": "Miami",
                            "state_province": "FL",
                            "postal_code": "33128-1966",
                            "country": "US",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "attributes": [
            {
                "id": "66666666-6666-4666-8666-666666666666",
                "link_type": "service_taxonomy",
                "taxonomy_term": {
                    "id": "77777777-7777-4777-8777-777777777777",
                    "name": "Food",
                    "description": "",
                },
            }
        ],
        "metadata": [
            {
                "id": "88888888-8888-4888-8888-888888888888",
                "last_action_date": "2024-01-02",
                "last_action_type": "update",
                "field_name": "name",
                "previous_value": "Pantry",
                "replacement_value": "Food Pantry",
                "updated_by": "someone",
            }
        ],
    }  # fmt: skip
    service.update(changes)
    return service


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_nested_json_service_is_flattened_with_links_from_its_nesting(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "service.json"
    path.write_text(json.dumps(service_json()), encoding="utf-8")
    summary = load_path(session, path)
    service = session.get(models.Service, SERVICE)
    assert service is not None and service.organization_id == ORG
    assert service.status == "active"
    assert service.description == "Groceries once a week.\nBring a bag."
    location = session.get(models.Location, LOCATION)
    assert location is not None and location.latitude is None and location.geom is None
    assert location.addresses[0].postal_code == "33128"
    attribute = session.get(models.Attribute, "66666666-6666-4666-8666-666666666666")
    assert attribute is not None and attribute.link_id == SERVICE
    assert attribute.link_entity == "service"
    assert attribute.taxonomy_term_id == "77777777-7777-4777-8777-777777777777"
    imported = session.get(models.Metadata, "88888888-8888-4888-8888-888888888888")
    assert imported is not None and imported.resource_id == SERVICE
    assert imported.updated_by == "someone"
    reasons = {(i.table, i.field): i.reason for i in summary.issues}
    assert "not a point on Earth" in reasons[("location", "latitude,longitude")]
    assert "ZIP+4" in reasons[("address", "postal_code")]
    assert summary.unaccounted() == {}


def test_reimport_updates_by_id_without_duplicates_and_audits_only_changed_fields(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "service.json"
    path.write_text(json.dumps(service_json()), encoding="utf-8")
    first = load_path(session, path)
    assert first.tables["service"].created == 1
    assert count(session, models.Metadata) == 1  # the imported one; creates are not audited
    again = load_path(session, path)
    assert again.tables["service"].unchanged == 1 and again.tables["service"].created == 0
    assert count(session, models.Metadata) == 1
    path.write_text(json.dumps(service_json(name="Food Pantry Plus")), encoding="utf-8")
    changed = load_path(session, path, actor="curator-bot")
    assert changed.tables["service"].updated == 1
    assert changed.tables["location"].unchanged == 1
    assert count(session, models.Service) == 1
    audit = session.scalars(
        select(models.Metadata).where(models.Metadata.updated_by == "curator-bot")
    ).all()
    assert [
        (a.resource_id, a.field_name, a.previous_value, a.replacement_value) for a in audit
    ] == [(SERVICE, "name", "Food Pantry", "Food Pantry Plus")]
    assert audit[0].last_action_type == "update"
    assert count(session, models.Metadata) == 2


def test_a_current_csv_package_imports_with_broken_links_reported(
    session: Session, tmp_path: Path
) -> None:
    folder = write_csvs(
        tmp_path / "pkg",
        {
            "organizations.csv": f"id,name,description\n{ORG},Helping Hands,A charity",
            "services.csv": (
                f"id,organization_id,name,status\n{SERVICE},{ORG},Pantry,active\n"
                "99999999-9999-4999-8999-999999999999,"
                "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa,Orphan,active\n"
                "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb,,Unknown status,open"
            ),
            "phones.csv": (
                f"id,service_id,number\ncccccccc-cccc-4ccc-8ccc-cccccccccccc,{SERVICE},305-555-0100"
            ),
        },
    )
    summary = load_path(session, folder)
    orphan = session.get(models.Service, "99999999-9999-4999-8999-999999999999")
    assert orphan is not None and orphan.organization_id is None
    assert session.get(models.Service, "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb") is None
    rejected = [i for i in summary.issues if i.kind == "rejected"]
    assert len(rejected) == 1 and "'open' is not one of" in rejected[0].reason
    assert rejected[0].line == 3
    assert any("no organization with id" in i.reason for i in summary.issues)
    assert summary.files["services.csv"].read == 3
    assert summary.unaccounted() == {}


LEGACY = {
    "organizations.csv": "id,name,description,url\n10,HELPING HANDS,Help\\nfor all,example.org",
    "services.csv": "id,organization_id,name,status,fees\n20,10,Pantry,,Free\n21,404,Orphan,,",
    "locations.csv": "id,organization_id,name,latitude,longitude\n20,20,Hall,25.77,-80.19",
    "services_at_location.csv": "id,service_id,location_id\n20,20,20",
    "physical_addresses.csv": (
        "id,location_id,address_1,city,state_province,postal_code,country\n"
        "20,20,1 Main St,Miami,FL ,33128-1966,   \n21,20,,,,,"
    ),
    "regular_schedules.csv": (
        "id,service_id,location_id,weekday,opens_at,closes_at,original_text\n"
        ",20,,Monday,9:00am,5:00pm,Mon 9-5\n,20,,Tuesday,8:00,4:30,Tue 8-4:30"
    ),
    "holiday_schedules.csv": (
        "id,service_id,closed,start_date,end_date\n,20,true,2024-12-25,2024-12-25"
    ),
    "languages.csv": "id,service_id,location_id,language\n20,20,20,English\n20,20,20,Spanish",
    "eligibility.csv": "id,service_id,eligibility\n,20,Adults 18+\n,,Residents only",
    "taxonomy.csv": (
        "id,name,parent_id,parent_name,vocabulary\nB,Basic Needs,,,AIRS\nBD,Food,B,Basic Needs,AIRS"
    ),
    "services_taxonomy.csv": "id,service_id,taxonomy_id,taxonomy_detail\n1,20,BD,",
    "accessibility_for_disabilities.csv": "id,location_id,accessibility,details\n20,20,Ramp,",
}  # fmt: skip


def test_a_legacy_package_is_converted_to_hsds_3(session: Session, tmp_path: Path) -> None:
    summary = load_path(session, write_csvs(tmp_path / "legacy", LEGACY))
    service = session.get(models.Service, canonical_id("service", "20"))
    assert service is not None
    assert (service.status, service.fees_description) == ("active", "Free")
    assert service.eligibility_description == "Adults 18+"
    organization = session.get(models.Organization, canonical_id("organization", "10"))
    assert organization is not None and organization.website == "http://example.org"
    assert organization.description == "Help\nfor all"
    assert [i.identifier for i in organization.organization_identifiers] == ["10"]
    location = session.get(models.Location, canonical_id("location", "20"))
    assert location is not None and location.organization_id == organization.id
    assert location.external_identifier == "20" and location.location_type == "physical"
    address = location.addresses[0]
    assert (address.state_province, address.postal_code, address.country) == ("FL", "33128", "US")
    hours = sorted((s.byday, s.opens_at, s.closes_at) for s in service.schedules if s.byday)
    assert hours == [("MO", "09:00", "17:00"), ("TU", "08:00", "16:30")]
    holiday = [s for s in service.schedules if s.valid_from]
    assert holiday[0].notes == "Closed" and str(holiday[0].valid_to) == "2024-12-25"
    assert sorted(lang.name for lang in service.languages) == ["English", "Spanish"]
    term = session.get(models.TaxonomyTerm, canonical_id("taxonomy_term", "BD"))
    assert term is not None and term.code == "BD" and term.parent_id is not None
    link = session.scalars(select(models.Attribute)).one()
    assert (link.link_id, link.taxonomy_term_id) == (service.id, term.id)
    assert location.accessibility[0].description == "Ramp"
    orphan = session.get(models.Service, canonical_id("service", "21"))
    assert orphan is not None and orphan.organization_id is None
    reasons = [(i.kind, i.source, i.reason) for i in summary.issues]
    assert (
        "rejected",
        "eligibility.csv",
        "no service_id: cannot be linked to a service",
    ) in reasons
    assert ("rejected", "physical_addresses.csv", "empty address") in reasons
    assert summary.unaccounted() == {}
    assert summary.files["eligibility.csv"].merged == 1


def test_legacy_reimport_finds_rows_without_ids_again(session: Session, tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "legacy", LEGACY)
    load_path(session, folder)
    before = count(session, models.Schedule)
    again = load_path(session, folder)
    assert count(session, models.Schedule) == before == 3
    assert again.tables["schedule"].unchanged == 3
    assert all(c.created == 0 and c.updated == 0 for c in again.tables.values())


def test_a_zipped_package_imports_like_its_folder(session: Session, tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "legacy", LEGACY)
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in folder.iterdir():
            zipped.write(file, f"export/data/{file.name}")
    summary = load_path(session, archive)
    assert summary.tables["service"].created == 2
    assert session.get(models.Service, canonical_id("service", "20")) is not None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.json", b'{"id": "x", "name": ', "not valid JSON (line 1"),
        ("base.json", b'{"version": "3.0", "profile": "x"}', "not an HSDS record"),
        ("nested.json", b'{"id": "x", "name": "S", "status": "active", "phones": 3}', "list of"),
        ("notes.txt", b"hello", "not an HSDS input"),
        ("bad.zip", b"PK\x03\x04 this is not really a zip", "not a readable zip archive"),
    ],
)  # fmt: skip
def test_malformed_files_raise_a_clear_error_and_write_nothing(
    session: Session, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(MalformedInput, match=message.replace("(", r"\(")):
        load_path(session, path)
    assert count(session, models.Service) == 0


def test_a_malformed_csv_anywhere_in_a_package_leaves_the_database_unchanged(
    session: Session, tmp_path: Path
) -> None:
    files = dict(LEGACY)
    files["phones.csv"] = 'id,service_id,number\n1,20,"305-555-0100\n2,20,305'
    folder = write_csvs(tmp_path / "legacy", files)
    with pytest.raises(MalformedInput, match=r"phones\.csv: malformed CSV"):
        load_path(session, folder)
    assert count(session, models.Service) == 0
    (folder / "phones.csv").write_bytes(b"id,number\n1,\xff\xfe305\n")
    with pytest.raises(MalformedInput, match="not UTF-8"):
        load_path(session, folder)
    assert count(session, models.Organization) == 0


def test_ids_that_are_not_uuids_become_stable_uuids() -> None:
    made = canonical_id("service", "136")
    assert str(uuid.UUID(made)) == made == canonical_id("service", " 136 ")
    assert made != canonical_id("location", "136")
    assert canonical_id("service", SERVICE) == SERVICE


def test_a_geocode_far_from_its_zip_is_kept_and_reported(session: Session, tmp_path: Path) -> None:
    files = dict(LEGACY)
    files["locations.csv"] = "id,organization_id,name,latitude,longitude\n20,20,Hall,40.75,-73.97"
    summary = load_path(session, write_csvs(tmp_path / "legacy", files))
    location = session.get(models.Location, canonical_id("location", "20"))
    assert location is not None and location.latitude == 40.75
    warnings = [i for i in summary.issues if i.kind == "warning"]
    assert len(warnings) == 1 and "km from the centre of its ZIP 33128" in warnings[0].reason
    assert summary.unaccounted() == {}


def test_a_row_with_more_fields_than_the_header_is_rejected_and_counted(
    session: Session, tmp_path: Path
) -> None:
    folder = write_csvs(
        tmp_path / "pkg",
        {"organizations.csv": f"id,name,description\n{ORG},Helping Hands,A charity\nx,y,z,extra"},
    )
    summary = load_path(session, folder)
    assert summary.files["organizations.csv"].read == 2
    assert summary.files["organizations.csv"].rejected == 1
    assert "row has 4 fields but the header has 3" in summary.issues[0].reason
    assert summary.unaccounted() == {}


def test_attributes_may_link_to_services_already_in_the_database(
    session: Session, tmp_path: Path
) -> None:
    load_path(
        session,
        write_csvs(
            tmp_path / "first", {"services.csv": f"id,name,status\n{SERVICE},Pantry,active"}
        ),
    )
    summary = load_path(
        session,
        write_csvs(
            tmp_path / "second",
            {
                "attributes.csv": (
                    "id,link_id,link_entity,link_type,value\n"
                    f"dddddddd-dddd-4ddd-8ddd-dddddddddddd,{SERVICE},service,note,kept\n"
                    "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee,"
                    "ffffffff-ffff-4fff-8fff-ffffffffffff,service,note,orphan"
                )
            },
        ),
    )
    assert summary.tables["attribute"].created == 1
    assert summary.tables["attribute"].rejected == 1
    assert session.get(models.Attribute, "dddddddd-dddd-4ddd-8ddd-dddddddddddd") is not None


def test_a_folder_of_hsds_json_files_imports_as_one_package(session, tmp_path):
    """An export folder imports in one step, whatever order its files are read in."""
    org_id, service_id = str(uuid.uuid4()), str(uuid.uuid4())
    org = {"id": org_id, "name": "Harbor Food Bank", "description": "Food"}
    service = {"id": service_id, "name": "Pantry", "status": "active", "organization": org}
    (tmp_path / "services.json").write_text(json.dumps([service]))
    (tmp_path / "organizations.json").write_text(json.dumps([org]))
    load_path(session, tmp_path)
    assert session.get(models.Service, service_id).organization_id == org_id
    assert session.get(models.Organization, org_id).name == "Harbor Food Bank"
