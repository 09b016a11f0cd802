"""The committed sample directory (``seed_data/``), read from its CSV files: it must
meet the issue's numbers and carry the variety that search and matching rely on."""

from __future__ import annotations

import csv
import json
import uuid
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from referral.directory import seed_io
from referral.directory.synthetic import REFERENCE_DATE

SEED_DATA = Path(__file__).resolve().parent.parent / "seed_data"
SAMPLE = SEED_DATA / "sample"
# Greater Baltimore (Baltimore City and County, Anne Arundel, Howard, Harford), generously.
METRO_BOX = (38.65, 39.80, -77.25, -75.95)


def rows(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by(name: str, column: str) -> dict[str, list[dict[str, str]]]:
    grouped = defaultdict(list)
    for row in rows(name):
        grouped[row[column]].append(row)
    return grouped


@pytest.fixture(scope="module")
def services() -> list[dict[str, str]]:
    return rows("services.csv")


def test_sample_has_at_least_300_services_from_120_organizations(services):
    organizations = rows("organizations.csv")
    assert len(services) >= 300
    assert len(organizations) >= 120
    assert {s["organization_id"] for s in services} == {o["id"] for o in organizations}


def test_some_organizations_have_several_locations_and_services(services):
    per_org = Counter(s["organization_id"] for s in services)
    locations = Counter(loc["organization_id"] for loc in rows("locations.csv"))
    assert sum(1 for n in per_org.values() if n >= 3) >= 30
    assert sum(1 for n in locations.values() if n >= 2) >= 15


def test_every_service_has_a_location_with_coordinates_inside_the_metro(services):
    locations = {loc["id"]: loc for loc in rows("locations.csv")}
    at = by("service_at_location.csv", "service_id")
    south, north, west, east = METRO_BOX
    for service in services:
        assert at[service["id"]], service["name"]
        for link in at[service["id"]]:
            location = locations[link["location_id"]]
            assert south < float(location["latitude"]) < north
            assert west < float(location["longitude"]) < east


def test_every_location_has_a_real_maryland_street_address():
    addresses = by("addresses.csv", "location_id")
    for location in rows("locations.csv"):
        (address,) = addresses[location["id"]]
        assert address["state_province"] == "MD" and address["country"] == "US"
        assert 20600 <= int(address["postal_code"]) <= 21999  # Maryland ZIP codes
        assert address["address_1"][0].isdigit() and address["city"]


def test_every_service_has_phones_schedules_languages_eligibility_and_needs(services):
    phones = by("phones.csv", "service_id")
    schedules = by("schedules.csv", "service_id")
    languages = by("languages.csv", "service_id")
    needs = by("attributes.csv", "link_id")
    for service in services:
        assert phones[service["id"]] and schedules[service["id"]] and needs[service["id"]]
        assert "en" in {language["code"] for language in languages[service["id"]]}
        assert service["eligibility_description"].strip()


def test_phone_numbers_are_fictional_555_01xx_lines():
    for phone in rows("phones.csv"):
        area, exchange, line = phone["number"].split("-")
        assert area in {"410", "443", "667", "800"}
        assert exchange == "555" and line.startswith("01")


def test_eligibility_texts_vary_and_some_carry_structured_ages(services):
    texts = Counter(s["eligibility_description"] for s in services)
    assert len(texts) >= 40
    joined = " ".join(texts)
    for phrase in ("federal poverty level", "Residents of Baltimore City only", "Veterans",
                   "Seniors 60+", "Youth ages 14-24", "open to all"):  # fmt: skip
        assert phrase in joined, phrase
    assert sum(1 for s in services if s["minimum_age"]) >= 40
    assert sum(1 for s in services if s["maximum_age"]) >= 10


def test_statuses_and_verification_dates_are_mixed(services):
    statuses = Counter(s["status"] for s in services)
    assert set(statuses) == {"active", "inactive", "defunct", "temporarily closed"}
    assert statuses["active"] > len(services) * 0.7
    ages = [(REFERENCE_DATE - date.fromisoformat(s["assured_date"])).days
            for s in services if s["assured_date"]]  # fmt: skip
    assert min(ages) < 60 and max(ages) > 2 * 365
    assert sum(1 for age in ages if age > 365) > len(ages) * 0.15


def test_hours_include_evenings_weekends_round_the_clock_and_overnight():
    schedules = rows("schedules.csv")
    spans = {(s["opens_at"], s["closes_at"]) for s in schedules}
    assert ("00:00", "23:59") in spans
    assert any(closes < opens for opens, closes in spans), "no shelter open across midnight"
    assert any(s["freq"] == "MONTHLY" for s in schedules)
    assert any("SA" in s["byday"] for s in schedules)
    assert any(s["closes_at"] >= "19:00" and s["opens_at"] < "12:00" for s in schedules)
    assert any(s["valid_from"] for s in schedules), "no seasonal schedule"


def test_languages_go_beyond_english_and_spanish():
    names = {language["name"] for language in rows("languages.csv")}
    assert {"English", "Spanish", "French", "Haitian Creole", "Vietnamese", "Korean",
            "Amharic"} <= names  # fmt: skip


def test_service_areas_mix_county_polygons_and_names_only():
    areas = rows("service_areas.csv")
    polygons = [a for a in areas if a["extent_type"] == "geojson"]
    assert polygons and any(not a["extent"] for a in areas)
    city = next(a for a in polygons if a["name"] == "Baltimore City")
    outline = shape(json.loads(city["extent"]))
    assert outline.is_valid and outline.covers(Point(-76.6122, 39.2904))  # City Hall
    assert not outline.covers(Point(-76.4922, 38.9784))  # Annapolis


def test_fees_documents_and_shelter_capacity_are_present(services):
    assert any("Sliding fee" in s["fees_description"] for s in services)
    assert {c["option"] for c in rows("cost_options.csv")} >= {"Free", "Sliding scale"}
    assert len(rows("required_documents.csv")) >= 100
    units = {u["id"]: u["identifier"] for u in rows("units.csv")}
    capacities = rows("service_capacity.csv")
    beds = [c for c in capacities if units[c["unit_id"]] == "beds"]
    assert beds and all(float(c["available"]) <= float(c["maximum"]) for c in capacities)


def test_taxonomy_has_two_or_three_levels_and_every_link_points_at_a_term():
    terms = {t["id"]: t for t in rows("taxonomy_terms.csv")}
    assert 60 <= len(terms) <= 90
    depth = {t["code"]: t["code"].count(".") + 1 for t in terms.values()}
    assert max(depth.values()) == 3 and min(depth.values()) == 1
    for term in terms.values():
        assert term["description"] and (term["parent_id"] in terms or not term["parent_id"])
    assert {a["taxonomy_term_id"] for a in rows("attributes.csv")} <= set(terms)


def test_ids_are_unique_uuids_across_the_package():
    seen: set[str] = set()
    for path in SAMPLE.glob("*.csv"):
        for row in rows(path.name):
            assert str(uuid.UUID(row["id"])) == row["id"]
            assert row["id"] not in seen
            seen.add(row["id"])


def test_sdoh_map_uses_only_gravity_category_codes_and_covers_every_term(datasets):
    with (datasets / "sdoh" / "gravity_sdoh_category_codes.csv").open(encoding="utf-8") as f:
        gravity = {row["code"] for row in csv.DictReader(f) if row["is_sdoh_domain"] == "yes"}
    with (SEED_DATA / "sdoh_map.csv").open(encoding="utf-8", newline="") as handle:
        mapping = list(csv.DictReader(handle))
    assert {row["sdoh_category_code"] for row in mapping} <= gravity
    codes = {t["code"] for t in rows("taxonomy_terms.csv")}
    assert {row["taxonomy_term_code"] for row in mapping} == codes


# Written by hand (as providers would), not by the generator.
HAND_WRITTEN = {Path("service_translations.csv")}


def test_committed_seed_data_is_what_the_generator_makes(tmp_path):
    seed_io.write_seed_data(tmp_path)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.csv"))
    committed = {p.relative_to(SEED_DATA) for p in SEED_DATA.rglob("*.csv")}
    assert made == sorted(committed - HAND_WRITTEN)
    for path in made:
        assert (tmp_path / path).read_bytes() == (SEED_DATA / path).read_bytes(), path


def test_the_package_descriptor_lists_every_file_with_its_columns():
    descriptor = json.loads((SAMPLE / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    resources = {
        r["path"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]
    }
    assert set(resources) == {p.name for p in SAMPLE.glob("*.csv")}
    for path, fields in resources.items():
        with (SAMPLE / path).open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == fields, path


def test_the_hand_written_translations_name_services_of_the_sample():
    """The loader skips a row whose service is missing: a regenerated sample with new
    ids would silently lose them, so this fails instead."""
    with (SAMPLE / "services.csv").open(encoding="utf-8", newline="") as handle:
        services = {row["id"] for row in csv.DictReader(handle)}
    with (SEED_DATA / "service_translations.csv").open(encoding="utf-8", newline="") as h:
        named = {row["service_id"] for row in csv.DictReader(h)}
    assert named and named <= services
