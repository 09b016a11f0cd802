"""HSDS 3.0 export: nested JSON serializers, the JSON files and the tabular package."""

from __future__ import annotations

import csv
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from referral.directory import models as m
from referral.directory.hsds_export import (
    Links,
    datapackage,
    export_csv,
    export_json,
    graph,
    serialize_organization,
    serialize_service,
    serialize_service_at_location,
    serialize_taxonomy_term,
)
from referral.directory.hsds_export.files import write_json_array
from referral.directory.hsds_export.tables import TABLES
from referral.directory.hsds_schema import RecordValidator

SQUARE = (
    '{"type": "Polygon", "coordinates": [[[-80.3, 25.7], [-80.1, 25.7], [-80.1, 25.9],'
    " [-80.3, 25.9], [-80.3, 25.7]]]}"
)


@dataclass
class Directory:
    organization: m.Organization
    service: m.Service
    bare_service: m.Service
    location: m.Location
    sal: m.ServiceAtLocation
    term: m.TaxonomyTerm


def _phone(number: str, **links: Any) -> m.Phone:
    return m.Phone(
        number=number,
        extension=12,
        type="voice",
        languages=[m.Language(name="Español", code="es")],
        **links,
    )


def _contact(name: str) -> m.Contact:
    return m.Contact(
        name=name, title="Intake", email="intake@example.org", phones=[_phone("305-555-0101")]
    )


def _schedule(**links: Any) -> m.Schedule:
    return m.Schedule(
        freq="WEEKLY",
        wkst="MO",
        byday="MO,TU,WE",
        opens_at="09:00",
        closes_at="17:00",
        timezone=-5.0,
        valid_from=date(2026, 1, 1),
        description="Weekdays",
        **links,
    )


def build_directory(session: Session) -> Directory:
    """One of every HSDS object, with all the fields that can be set."""
    taxonomy = m.Taxonomy(
        name="Needs", description="Needs taxonomy", uri="https://example.org/t", version="1"
    )
    parent = m.TaxonomyTerm(
        name="Food", description="Food needs", code="F", taxonomy_detail=taxonomy
    )
    term = m.TaxonomyTerm(
        name="Food pantry",
        description="Groceries at no cost",
        code="F-1",
        parent=parent,
        taxonomy="Needs",
        language="en",
        taxonomy_detail=taxonomy,
        term_uri="https://example.org/t/F-1",
    )
    org = m.Organization(
        name="Atención Community Café",
        alternate_name="ACC",
        description="Neighbourhood food and health help – since 1990",
        email="info@example.org",
        website="https://example.org",
        year_incorporated=1990,
        legal_status="Nonprofit",
        uri="https://example.org/org",
        organization_identifiers=[
            m.OrganizationIdentifier(
                identifier_type="EIN", identifier="12-3456789", identifier_scheme="US-EIN"
            )
        ],
        funding=[m.Funding(source="City grant")],
        contacts=[_contact("Org Desk")],
        phones=[_phone("305-555-0100")],
    )
    program = m.Program(name="Nutrition", description="Food programs", alternate_name="Eat well")
    org.programs.append(program)
    location = m.Location(
        location_type="physical",
        name="Main site",
        description="Ground floor",
        latitude=25.7617,
        longitude=-80.1918,
        url="https://example.org/main",
        external_identifier="L-1",
        external_identifier_type="local",
        organization=org,
        addresses=[
            m.Address(
                address_1="100 Main St",
                address_2="Suite 2",
                city="Miami",
                state_province="FL",
                postal_code="33101",
                country="US",
                address_type="physical",
            )
        ],
        phones=[_phone("305-555-0102")],
        schedules=[_schedule()],
        languages=[m.Language(name="Haitian Creole", code="ht")],
        accessibility=[
            m.Accessibility(
                description="Ramp", details="At the side door", url="https://example.org/a"
            )
        ],
        contacts=[_contact("Site Lead")],
    )
    unit = m.Unit(name="beds", scheme="local", identifier="bed")
    service = m.Service(
        name="Food Pantry",
        alternate_name="Pantry",
        description="Groceries once a week",
        url="https://example.org/pantry",
        email="pantry@example.org",
        status="active",
        interpretation_services="Spanish",
        application_process="Walk in",
        fees_description="Free",
        wait_time="None",
        fees="None",
        accreditations="None",
        eligibility_description="Miami-Dade residents aged 18 and over",
        minimum_age=18,
        maximum_age=120,
        assured_date=date(2026, 1, 15),
        assurer_email="curator@example.org",
        licenses="None",
        alert="Closed on holidays",
        last_modified=datetime(2026, 2, 1, 12, 30, 5, 250000, tzinfo=UTC),
        organization=org,
        program=program,
        phones=[_phone("305-555-0103")],
        schedules=[_schedule()],
        service_areas=[
            m.ServiceArea(name="Downtown", extent=SQUARE, extent_type="geojson", description="Core")
        ],
        languages=[m.Language(name="English", code="en", note="All staff")],
        funding=[m.Funding(source="Food bank")],
        cost_options=[
            m.CostOption(
                option="Delivery",
                currency="USD",
                amount=12.5,
                amount_description="per box",
                valid_from=date(2026, 1, 1),
            )
        ],
        required_documents=[m.RequiredDocument(document="Photo ID", uri="https://example.org/id")],
        contacts=[_contact("Pantry Lead")],
        capacities=[
            m.ServiceCapacity(
                unit=unit,
                available=3,
                maximum=10.5,
                description="Tonight",
                updated=datetime(2026, 2, 2, tzinfo=UTC),
            )
        ],
    )
    sal = m.ServiceAtLocation(
        service=service,
        location=location,
        description="Pantry at the main site",
        phones=[_phone("305-555-0104")],
        schedules=[_schedule()],
        contacts=[_contact("Desk")],
    )
    bare = m.Service(name="Bare service", status="inactive", description="")
    session.add_all(
        [
            org,
            service,
            bare,
            sal,
            term,
            m.MetaTableDescription(name="service", language="en", character_set="UTF-8"),
        ]
    )
    session.flush()
    session.add_all(
        [
            m.Attribute(
                link_id=service.id,
                link_entity="service",
                link_type="need",
                taxonomy_term=term,
                value="yes",
            ),
            m.Attribute(link_id=location.id, link_entity="location", taxonomy_term=parent),
        ]
    )
    session.flush()
    session.expire_all()
    return Directory(org, service, bare, location, sal, term)


def _walk(value: Any, path: str = "") -> Any:
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}/{key}", key, item
            yield from _walk(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}/{index}")


@pytest.fixture
def directory(session: Session) -> Directory:
    session.info["actor"] = "test"
    return build_directory(session)


@pytest.fixture
def validator(datasets: Path) -> RecordValidator:
    return RecordValidator(datasets / "hsds3" / "schema" / "compiled")


def test_a_service_is_nested_with_every_child_object(session, directory):
    out = serialize_service(directory.service)
    assert [p["number"] for p in out["phones"]] == ["305-555-0103"]
    assert out["phones"][0]["languages"][0]["name"] == "Español"
    sal = out["service_at_locations"][0]
    assert sal["location"]["addresses"][0]["city"] == "Miami"
    assert sal["location"]["accessibility"][0]["description"] == "Ramp"
    assert sal["location"]["contacts"][0]["phones"][0]["number"] == "305-555-0101"
    assert {p["number"] for p in sal["phones"]} == {"305-555-0104"}
    assert out["organization"]["name"] == "Atención Community Café"
    assert "locations" not in out["organization"]
    assert out["program"]["name"] == "Nutrition"
    assert out["cost_options"][0]["amount"] == 12.5
    assert out["required_documents"][0]["document"] == "Photo ID"
    assert out["capacities"][0]["unit"]["name"] == "beds"
    assert out["service_areas"][0]["extent"] == SQUARE


def test_attributes_carry_their_taxonomy_term_and_taxonomy(session, directory):
    out = serialize_service(directory.service)
    (attribute,) = out["attributes"]
    assert attribute["link_id"] == directory.service.id
    assert attribute["taxonomy_term"]["name"] == "Food pantry"
    assert attribute["taxonomy_term"]["parent_id"] == directory.term.parent_id
    assert attribute["taxonomy_term"]["taxonomy_detail"]["name"] == "Needs"
    location = out["service_at_locations"][0]["location"]
    assert location["attributes"][0]["taxonomy_term"]["name"] == "Food"


def test_metadata_rows_are_nested_under_the_record_they_describe(session, directory):
    out = serialize_service(directory.service)
    assert {row["resource_id"] for row in out["metadata"]} == {directory.service.id}
    assert out["metadata"][0]["updated_by"] == "test"
    assert out["metadata"][0]["last_action_date"].endswith("Z")
    assert out["phones"][0]["metadata"][0]["resource_type"] == "phone"


def test_null_and_empty_fields_are_left_out_and_derived_columns_never_exported(session, directory):
    out = serialize_service(directory.bare_service)
    assert out["name"] == "Bare service"
    assert "description" not in out and "organization" not in out and "url" not in out
    full = serialize_service(directory.service)
    for _path, key, value in _walk(full):
        assert value is not None
        assert key not in {"geom", "extent_geom"}


def test_dates_are_iso_strings_and_integral_numbers_are_ints(session, directory):
    out = serialize_service(directory.service)
    assert out["assured_date"] == "2026-01-15"
    assert out["last_modified"] == "2026-02-01T12:30:05.250000Z"
    schedule = out["schedules"][0]
    assert schedule["timezone"] == -5 and isinstance(schedule["timezone"], int)
    assert schedule["valid_from"] == "2026-01-01"
    assert out["minimum_age"] == 18
    location = out["service_at_locations"][0]["location"]
    assert location["latitude"] == 25.7617
    assert out["capacities"][0]["maximum"] == 10.5


def test_an_organization_has_its_locations_programs_and_identifiers(session, directory):
    out = serialize_organization(directory.organization)
    assert out["organization_identifiers"][0]["identifier"] == "12-3456789"
    assert out["programs"][0]["name"] == "Nutrition"
    assert out["locations"][0]["addresses"][0]["postal_code"] == "33101"
    assert out["funding"][0]["source"] == "City grant"
    assert "services" not in out
    with_services = serialize_organization(directory.organization, services=True)
    assert [s["name"] for s in with_services["services"]] == ["Food Pantry"]
    assert "phones" not in with_services["services"][0]


def test_a_service_at_location_has_its_service_and_location(session, directory):
    out = serialize_service_at_location(directory.sal)
    assert out["service"]["name"] == "Food Pantry"
    assert "service_at_locations" not in out["service"]
    assert out["location"]["name"] == "Main site"


def test_the_bulk_loader_serializes_exactly_like_the_orm(session, directory):
    for table, obj, serialize in (
        ("service", directory.service, serialize_service),
        ("organization", directory.organization, serialize_organization),
        ("taxonomy_term", directory.term, serialize_taxonomy_term),
    ):
        (node,) = graph.load(session, table, [obj.id])
        links = Links()
        from_rows = serialize(node, links)
        links.resolve(session)
        assert from_rows == serialize(obj), table


def test_serialized_records_are_valid_against_the_compiled_schemas(session, directory, validator):
    term = serialize_taxonomy_term(directory.term)
    records = [
        ("service", serialize_service(directory.service)),
        ("service", serialize_service(directory.bare_service)),
        ("organization", serialize_organization(directory.organization, services=True)),
        ("service_at_location", serialize_service_at_location(directory.sal)),
        ("taxonomy_term", term),
        ("taxonomy", term["taxonomy_detail"]),
    ]
    for schema, record in records:
        assert validator.object_problems(schema, record) == [], schema


def test_a_taxonomy_term_without_its_required_description_is_reported(validator):
    problems = validator.object_problems("taxonomy_term", {"id": str(uuid.uuid4()), "name": "x"})
    assert [p.message for p in problems] == ["'description' is a required property"]


def test_the_validator_names_the_record_and_the_schema_path(session, directory, validator):
    out = serialize_service(directory.service)
    out["phones"][0]["languages"][0]["id"] = "not-a-uuid"
    out["status"] = "open"
    problems = validator.object_problems("service", out)
    assert {p.record_path for p in problems} == {"/phones/0/languages/0/id", "/status"}
    assert all(p.record_id == directory.service.id for p in problems)
    assert any(p.schema_path.endswith("status/enum") for p in problems)
    assert directory.service.id in str(problems[0])


def test_the_validator_checks_uri_email_and_date_time_formats(validator):
    record = {
        "id": "3f7b145d-84af-42d7-8fae-eaca714b02b2",
        "name": "x",
        "status": "active",
        "url": "www.example.org",
        "email": "nobody",
        "last_modified": "2026-02-01 12:00",
    }
    paths = {p.record_path for p in validator.object_problems("service", record)}
    assert paths == {"/url", "/email", "/last_modified"}


def test_bare_web_addresses_are_exported_as_absolute_uris(session, directory, validator):
    directory.organization.website = "www.example.org"
    directory.service.url = "example.org\\pantry\\é"
    directory.location.url = "see the notice board"
    session.flush()
    org = serialize_organization(directory.organization)
    service = serialize_service(directory.service)
    assert org["website"] == "http://www.example.org"
    assert service["url"] == "http://example.org/pantry/%C3%A9"
    problems = validator.object_problems("organization", org)
    assert [p.record_path for p in problems] == ["/locations/0/url"]
    location = service["service_at_locations"][0]["location"]
    assert location["url"] == "see the notice board"
    problems = validator.object_problems("service", service)
    assert [p.record_path for p in problems] == ["/service_at_locations/0/location/url"]


def test_json_export_writes_sorted_services_and_organizations(session, directory, tmp_path):
    result = export_json(session, tmp_path)
    assert result.counts == {
        "taxonomies": 1,
        "taxonomy_terms": 2,
        "services": 2,
        "organizations": 1,
    }
    services = json.loads((tmp_path / "services.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in services] == sorted([directory.service.id, directory.bare_service.id])
    organizations = json.loads((tmp_path / "organizations.json").read_text(encoding="utf-8"))
    assert organizations[0]["id"] == directory.organization.id
    text = (tmp_path / "organizations.json").read_text(encoding="utf-8")
    assert "Atención" in text and text.endswith("}\n]\n")
    terms = json.loads((tmp_path / "taxonomy_terms.json").read_text(encoding="utf-8"))
    assert {t["name"] for t in terms} == {"Food", "Food pantry"}
    assert [t["id"] for t in terms] == sorted(t["id"] for t in terms)
    assert all(t["taxonomy_detail"]["name"] == "Needs" for t in terms)


def test_json_export_validates_every_record(session, directory, validator, tmp_path):
    result = export_json(session, tmp_path, validator)
    assert result.validated and result.problem_count == 0


def test_the_streamed_json_array_is_what_json_dump_writes(tmp_path):
    records = [
        {"a": 'line\u2028separator\t"q" \\', "b": [1, {"c": "é\n", "e": {}}]},
        {"d": [], "n": None, "t": True, "f": False, "x": -2.5e-07, "big": 10**20, "z": 0.1},
        {"nested": [[], [{}], [1.0, "\x00\x1f\u00a0💡"]]},
    ]
    assert write_json_array(tmp_path / "x.json", records) == 3
    expected = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    assert (tmp_path / "x.json").read_text(encoding="utf-8") == expected
    write_json_array(tmp_path / "empty.json", [])
    assert (tmp_path / "empty.json").read_text(encoding="utf-8") == "[]\n"


def test_two_exports_of_the_same_data_are_identical(session, directory, tmp_path):
    for fmt, export in (("json", export_json), ("csv", export_csv)):
        first, second = tmp_path / f"{fmt}1", tmp_path / f"{fmt}2"
        first.mkdir()
        second.mkdir()
        export(session, first)
        session.expire_all()
        export(session, second)
        names = sorted(p.name for p in first.iterdir())
        assert names == sorted(p.name for p in second.iterdir())
        for name in names:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_package_holds_every_table_with_hsds_columns(session, directory, tmp_path):
    result = export_csv(session, tmp_path)
    assert result.counts["services.csv"] == 2
    assert result.counts["phones.csv"] == 8
    for table in TABLES:
        with (tmp_path / table.path).open(encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == list(table.fields)
    (service,) = [
        row for row in _csv(tmp_path / "services.csv") if row["id"] == directory.service.id
    ]
    assert service["last_modified"] == "2026-02-01T12:30:05.250000Z"
    assert service["minimum_age"] == "18"
    assert "geom" not in _csv(tmp_path / "locations.csv")[0]
    rows = _csv(tmp_path / "service_areas.csv")
    assert rows[0]["extent"] == SQUARE and "extent_geom" not in rows[0]


def test_csv_files_have_the_names_and_columns_of_the_official_example(datasets, tmp_path, session):
    export_csv(session, tmp_path)
    examples = datasets / "hsds3" / "examples" / "csv"
    for example in sorted(examples.glob("*.csv")):
        with (
            example.open(encoding="utf-8", newline="") as f,
            (tmp_path / example.name).open(encoding="utf-8", newline="") as g,
        ):
            assert next(csv.reader(g)) == next(csv.reader(f)), example.name


def test_datapackage_describes_each_csv_file(session, directory, tmp_path):
    export_csv(session, tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package == datapackage()
    assert package["profile"] == "tabular-data-package"
    for resource in package["resources"]:
        with (tmp_path / resource["path"]).open(encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == [field["name"] for field in resource["schema"]["fields"]]
    service = next(r for r in package["resources"] if r["name"] == "service")
    status = next(f for f in service["schema"]["fields"] if f["name"] == "status")
    assert status["constraints"] == {
        "required": True,
        "enum": ["active", "inactive", "defunct", "temporarily closed"],
    }


def test_csv_export_validates_every_row_against_the_tabular_schema(
    session, directory, validator, tmp_path
):
    result = export_csv(session, tmp_path, validator)
    assert result.validated and result.problem_count == 0


def test_an_invalid_row_is_reported_with_its_table_and_id(session, directory, validator, tmp_path):
    directory.organization.email = "not an email"
    session.flush()
    result = export_csv(session, tmp_path, validator)
    assert result.problem_count == 1
    (problem,) = result.problems
    assert problem.record_id == directory.organization.id
    assert problem.schema == "tabular organization" and problem.record_path == "/email"


def test_taxonomy_terms_serialize_with_their_taxonomy(session, directory):
    out = serialize_taxonomy_term(directory.term)
    assert out["taxonomy_detail"]["version"] == "1"
    assert out["metadata"][0]["resource_id"] == directory.term.id


def _queries_to_export(session: Session, engine: Any, folder: Path) -> int:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    folder.mkdir()
    event.listen(engine, "before_cursor_execute", record)
    try:
        export_json(session, folder)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_exporting_more_services_takes_no_more_queries(session, engine, tmp_path):
    build_directory(session)
    once = _queries_to_export(session, engine, tmp_path / "one")
    for _ in range(5):
        build_directory(session)
    session.expire_all()
    assert _queries_to_export(session, engine, tmp_path / "six") == once
