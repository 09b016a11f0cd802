"""The HSDS 3.0 API under /hsds: shapes, filters, paging, and validity against the
official schemas (compiled service, organization, service_at_location and list forms,
taxonomy and taxonomy_term, and the openapi Page object)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from referral.directory import models as m
from referral.directory.hsds_schema import FORMAT_CHECKER, OBJECT_SCHEMAS, RecordValidator

SCHEMA = Path("hsds3") / "schema"


@pytest.fixture
def directory(session):
    """A small directory built through the ORM: one richly described service at one
    place, a second organization, and a two-level taxonomy linked by attributes."""
    taxonomy = m.Taxonomy(name="Open Eligibility", description="Human services", version="2.0")
    session.add(taxonomy)
    session.flush()
    food = m.TaxonomyTerm(name="Food", description="Food", code="1102", taxonomy_id=taxonomy.id)
    session.add(food)
    session.flush()
    pantry = m.TaxonomyTerm(
        name="Food Pantry",
        description="Groceries",
        code="1103",
        parent_id=food.id,
        taxonomy_id=taxonomy.id,
        taxonomy="Open Eligibility",
    )
    housing = m.TaxonomyTerm(name="Housing", description="Shelter", code="1200")
    org = m.Organization(
        name="Harbor Food Bank",
        description="Feeds the harbor district.",
        email="info@harbor.example.org",
        website="https://harbor.example.org",
        year_incorporated=1988,
    )
    other = m.Organization(name="Anchor Housing", description="Housing help.")
    session.add_all([pantry, housing, org, other])
    session.flush()
    program = m.Program(organization_id=org.id, name="Groceries", description="Pantry program")
    session.add(program)
    session.flush()
    pantry_service = m.Service(
        organization_id=org.id,
        program_id=program.id,
        name="Harbor Pantry",
        status="active",
        description="Free groceries every week.",
        email="pantry@harbor.example.org",
        url="https://harbor.example.org/pantry",
        minimum_age=18,
        assured_date=date(2026, 3, 1),
        last_modified=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
    )
    shelter = m.Service(
        organization_id=other.id,
        name="Anchor Shelter",
        status="active",
        last_modified=datetime(2025, 1, 1, tzinfo=UTC),
    )
    session.add_all([pantry_service, shelter])
    session.flush()
    location = m.Location(
        location_type="physical",
        organization_id=org.id,
        name="Harbor Hall",
        latitude=25.7617,
        longitude=-80.1918,
    )
    far = m.Location(
        location_type="physical",
        organization_id=other.id,
        name="Anchor House",
        latitude=26.1224,
        longitude=-80.1373,
    )
    session.add_all([location, far])
    session.flush()
    sal = m.ServiceAtLocation(
        service_id=pantry_service.id, location_id=location.id, description="Main"
    )
    far_sal = m.ServiceAtLocation(service_id=shelter.id, location_id=far.id)
    session.add_all([sal, far_sal])
    session.flush()
    session.add_all(
        [
            m.Address(
                location_id=location.id,
                address_1="1 Harbor Way",
                city="Miami",
                state_province="FL",
                postal_code="33130",
                country="US",
                address_type="physical",
            ),
            m.Address(
                location_id=far.id,
                address_1="9 Anchor St",
                city="Fort Lauderdale",
                state_province="FL",
                postal_code="33301",
                country="US",
                address_type="physical",
            ),
            m.Phone(service_id=pantry_service.id, number="305-555-0100", type="voice"),
            m.Phone(location_id=location.id, number="305-555-0101"),
            m.Schedule(
                service_id=pantry_service.id,
                freq="WEEKLY",
                byday="MO,WE",
                opens_at="09:00",
                closes_at="17:00",
                valid_from=date(2026, 1, 1),
            ),
            m.ServiceArea(
                service_id=pantry_service.id,
                name="Miami-Dade",
                extent_type="geojson",
                extent='{"type":"Polygon","coordinates":[[[-80.9,25.1],[-80.0,25.1],'
                "[-80.0,26.0],[-80.9,26.0],[-80.9,25.1]]]}",
            ),
            m.Language(service_id=pantry_service.id, name="Spanish", code="es"),
            m.Funding(service_id=pantry_service.id, source="County grant"),
            m.CostOption(service_id=pantry_service.id, option="Free", amount=0, currency="USD"),
            m.RequiredDocument(service_id=pantry_service.id, document="Photo ID"),
            m.Contact(
                service_id=pantry_service.id, name="Ana Pérez", email="ana@harbor.example.org"
            ),
            m.Accessibility(location_id=location.id, description="Ramp at the side door"),
            m.Attribute(
                link_id=pantry_service.id,
                link_entity="service",
                link_type="service",
                taxonomy_term_id=pantry.id,
            ),
            m.Attribute(link_id=shelter.id, link_entity="service", taxonomy_term_id=housing.id),
        ]
    )
    session.flush()
    return SimpleNamespace(
        taxonomy=taxonomy,
        food=food,
        pantry=pantry,
        housing=housing,
        org=org,
        other=other,
        service=pantry_service,
        shelter=shelter,
        sal=sal,
        far_sal=far_sal,
        location=location,
    )


@pytest.fixture
def schemas(datasets):
    return _Schemas(datasets / SCHEMA)


class _Schemas:
    """Full records go through the exporter's validator (the project's one source of
    truth); list forms, taxonomies and the Page are checked here with the same formats."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.records = RecordValidator(root / "compiled")
        resources = [
            (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
            for path in root.glob("*.json")
        ]
        self.registry = Registry().with_resources(resources)
        self.page = json.loads((root / "openapi.json").read_text())["components"]["schemas"]["Page"]

    def errors(self, name: str, body) -> list[str]:
        if name in OBJECT_SCHEMAS:
            return [str(problem) for problem in self.records.object_problems(name, body)]
        path = self.root / "compiled" / f"{name}.json"
        path = path if path.exists() else self.root / f"{name}.json"
        schema = json.loads(path.read_text())
        validator = Draft202012Validator(
            schema, registry=self.registry, format_checker=FORMAT_CHECKER
        )
        return [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(body)
        ]

    def page_errors(self, item_schema: str, body) -> list[str]:
        errors = [e.message for e in Draft202012Validator(self.page).iter_errors(body)]
        errors += [f"missing {key}" for key in self.page["properties"] if key not in body]
        for index, item in enumerate(body["contents"]):
            errors += [f"contents/{index}/{e}" for e in self.errors(item_schema, item)]
        return errors


def test_api_root_says_which_hsds_version_it_serves(client):
    body = client.get("/hsds/").get_json()
    assert body["version"] == "3.0"
    assert body["profile"].startswith("https://")
    assert body["openapi_url"].endswith("openapi.json")


def test_services_page_lists_every_service_by_name_with_a_valid_page_object(
    client, directory, schemas
):
    response = client.get("/hsds/services")
    assert response.status_code == 200
    body = response.get_json()
    assert [s["name"] for s in body["contents"]] == ["Anchor Shelter", "Harbor Pantry"]
    assert body["total_items"] == 2 and body["total_pages"] == 1 and body["page_number"] == 1
    assert body["first_page"] and body["last_page"] and not body["empty"]
    assert body["contents"][1]["organization"]["name"] == "Harbor Food Bank"
    assert body["contents"][1]["program"]["name"] == "Groceries"
    assert "phones" not in body["contents"][1]  # list form: one-to-one fields only
    assert schemas.page_errors("service_list", body) == []


def test_services_page_numbers_and_sizes_follow_the_request(client, directory):
    body = client.get("/hsds/services?per_page=1&page=2").get_json()
    assert [s["name"] for s in body["contents"]] == ["Harbor Pantry"]
    assert body["size"] == 1 and body["total_pages"] == 2
    assert not body["first_page"] and body["last_page"]
    beyond = client.get("/hsds/services?per_page=1&page=3").get_json()
    assert beyond["contents"] == [] and beyond["size"] == 0 and not beyond["empty"]


def test_taxonomy_term_filter_includes_services_tagged_with_narrower_terms(client, directory):
    body = client.get(f"/hsds/services?taxonomy_term_id={directory.food.id}").get_json()
    assert [s["id"] for s in body["contents"]] == [directory.service.id]
    housing = client.get(f"/hsds/services?taxonomy_term_id={directory.housing.id}").get_json()
    assert [s["id"] for s in housing["contents"]] == [directory.shelter.id]


def test_services_filter_by_taxonomy_organization_and_modification_date(client, directory):
    by_taxonomy = client.get(f"/hsds/services?taxonomy_id={directory.taxonomy.id}").get_json()
    assert [s["id"] for s in by_taxonomy["contents"]] == [directory.service.id]
    by_org = client.get(f"/hsds/services?organization_id={directory.other.id}").get_json()
    assert [s["id"] for s in by_org["contents"]] == [directory.shelter.id]
    recent = client.get("/hsds/services?modified_after=2026-01-01T00:00:00Z").get_json()
    assert [s["id"] for s in recent["contents"]] == [directory.service.id]


def test_full_service_is_nested_and_valid_against_the_compiled_schema(client, directory, schemas):
    body = client.get(f"/hsds/services/{directory.service.id}").get_json()
    assert body["phones"][0]["number"] == "305-555-0100"
    assert body["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "33130"
    assert body["attributes"][0]["taxonomy_term"]["name"] == "Food Pantry"
    assert body["metadata"], "the audit trail travels with the record"
    assert schemas.errors("service", body) == []


def test_unknown_service_is_a_404_problem(client, directory):
    response = client.get("/hsds/services/no-such-id")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert "no-such-id" in response.get_json()["detail"]


def test_organizations_list_and_detail_are_valid(client, directory, schemas):
    body = client.get("/hsds/organizations").get_json()
    assert [o["name"] for o in body["contents"]] == ["Anchor Housing", "Harbor Food Bank"]
    assert schemas.page_errors("organization_list", body) == []
    found = client.get("/hsds/organizations?search=harbor").get_json()
    assert [o["id"] for o in found["contents"]] == [directory.org.id]
    detail = client.get(f"/hsds/organizations/{directory.org.id}").get_json()
    assert [s["name"] for s in detail["services"]] == ["Harbor Pantry"]
    assert detail["locations"][0]["name"] == "Harbor Hall"
    assert schemas.errors("organization", detail) == []


def test_organization_with_full_service_nests_each_service_completely(client, directory, schemas):
    detail = client.get(f"/hsds/organizations/{directory.org.id}?full_service=true").get_json()
    assert detail["services"][0]["phones"][0]["number"] == "305-555-0100"
    assert schemas.errors("organization", detail) == []


def test_service_at_locations_list_and_detail_are_valid(client, directory, schemas):
    body = client.get("/hsds/service_at_locations").get_json()
    assert [s["id"] for s in body["contents"]] == [directory.far_sal.id, directory.sal.id]
    item = body["contents"][1]
    assert item["location"]["name"] == "Harbor Hall" and item["service"]["name"] == "Harbor Pantry"
    assert schemas.page_errors("service_at_location_list", body) == []
    detail = client.get(f"/hsds/service_at_locations/{directory.sal.id}").get_json()
    assert detail["service"]["id"] == directory.service.id
    assert detail["location"]["accessibility"][0]["description"] == "Ramp at the side door"
    assert schemas.errors("service_at_location", detail) == []


def test_proximity_keeps_locations_within_that_many_metres_of_the_postcode(client, directory):
    # 33130 (Miami) is about 1 km from Harbor Hall and about 40 km from Anchor House.
    near = client.get("/hsds/service_at_locations?postcode=33130&proximity=5000").get_json()
    assert [s["id"] for s in near["contents"]] == [directory.sal.id]
    wide = client.get("/hsds/service_at_locations?postcode=33130&proximity=60000").get_json()
    assert [s["id"] for s in wide["contents"]] == [directory.sal.id, directory.far_sal.id]


def test_postcode_alone_uses_service_areas_where_mapped_and_the_address_otherwise(
    client, directory
):
    # The pantry's mapped area covers Miami (33130) but not Fort Lauderdale (33301);
    # the shelter has no mapped area, so its own address decides.
    miami = client.get("/hsds/service_at_locations?postcode=33130").get_json()
    assert [s["id"] for s in miami["contents"]] == [directory.sal.id]
    lauderdale = client.get("/hsds/service_at_locations?postcode=33301").get_json()
    assert [s["id"] for s in lauderdale["contents"]] == [directory.far_sal.id]


def test_taxonomies_and_terms_are_listed_and_valid(client, directory, schemas):
    taxonomies = client.get("/hsds/taxonomies").get_json()
    assert [t["name"] for t in taxonomies["contents"]] == ["Open Eligibility"]
    assert schemas.page_errors("taxonomy", taxonomies) == []
    terms = client.get("/hsds/taxonomy_terms").get_json()
    assert [t["name"] for t in terms["contents"]] == ["Food", "Food Pantry", "Housing"]
    assert terms["contents"][0]["taxonomy_detail"]["name"] == "Open Eligibility"
    assert schemas.page_errors("taxonomy_term", terms) == []


def test_taxonomy_terms_filter_by_taxonomy_parent_and_top_level(client, directory):
    def names(query):
        return [
            t["name"] for t in client.get(f"/hsds/taxonomy_terms?{query}").get_json()["contents"]
        ]

    assert names(f"taxonomy_id={directory.taxonomy.id}") == ["Food", "Food Pantry"]
    assert names(f"parent_id={directory.food.id}") == ["Food Pantry"]
    assert names("top_only=true") == ["Food", "Housing"]
    assert names("search=pantry") == ["Food Pantry"]


def test_single_taxonomy_and_term_are_valid(client, directory, schemas):
    taxonomy = client.get(f"/hsds/taxonomies/{directory.taxonomy.id}").get_json()
    assert schemas.errors("taxonomy", taxonomy) == []
    term = client.get(f"/hsds/taxonomy_terms/{directory.pantry.id}").get_json()
    assert term["parent_id"] == directory.food.id
    assert schemas.errors("taxonomy_term", term) == []
    assert client.get("/hsds/taxonomy_terms/nope").status_code == 404


def test_ndjson_streams_every_record_without_paging(client, directory):
    response = client.get("/hsds/services?format=ndjson&per_page=1")
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [s["name"] for s in lines] == ["Anchor Shelter", "Harbor Pantry"]


def test_full_listings_nest_each_record_and_stay_valid(client, directory, schemas):
    services = client.get("/hsds/services?full=true").get_json()
    pantry = services["contents"][1]
    assert pantry["phones"][0]["number"] == "305-555-0100"
    assert pantry["attributes"][0]["taxonomy_term"]["name"] == "Food Pantry"
    for item in services["contents"]:
        assert schemas.errors("service", item) == []
    sals = client.get("/hsds/service_at_locations?full=true").get_json()
    assert sals["contents"][1]["location"]["addresses"][0]["city"] == "Miami"
    for item in sals["contents"]:
        assert schemas.errors("service_at_location", item) == []
    orgs = client.get("/hsds/organizations?full=true").get_json()
    assert orgs["contents"][1]["services"][0]["name"] == "Harbor Pantry"
    for item in orgs["contents"]:
        assert schemas.errors("organization", item) == []


def test_service_at_locations_filter_by_taxonomy_and_organization(client, directory):
    food = client.get(f"/hsds/service_at_locations?taxonomy_term_id={directory.food.id}")
    assert [s["id"] for s in food.get_json()["contents"]] == [directory.sal.id]
    other = client.get(f"/hsds/service_at_locations?organization_id={directory.other.id}")
    assert [s["id"] for s in other.get_json()["contents"]] == [directory.far_sal.id]
