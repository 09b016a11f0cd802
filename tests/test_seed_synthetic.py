"""Synthetic directories: deterministic, exactly the size asked for, and loadable."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from sqlalchemy import delete, func, select

from referral.directory import geo, seed, seed_io
from referral.directory import models as m
from referral.directory.synthetic import generate_sample, generate_synthetic
from referral.directory.synthetic_reference import NAMESPACE, stable_id


def sizes(size: int, seed_number: int = 1, batch_size: int = 3000) -> Counter[str]:
    counts: Counter[str] = Counter()
    for batch in generate_synthetic(size, seed_number, batch_size):
        for table, rows in batch.items():
            counts[table] += len(rows)
    return counts


def test_the_same_seed_makes_the_same_directory_and_another_seed_another():
    first = list(generate_synthetic(40, seed=7, batch_size=15))
    assert first == list(generate_synthetic(40, seed=7, batch_size=15))
    other = list(generate_synthetic(40, seed=8, batch_size=15))
    assert first[1]["service"] != other[1]["service"]


def test_sample_generation_is_deterministic():
    assert generate_sample() == generate_sample()


def test_sizes_are_exact_with_one_organization_per_three_services():
    counts = sizes(301, batch_size=50)
    assert counts["service"] == counts["location"] == counts["service_at_location"] == 301
    assert counts["organization"] == 101
    assert counts["taxonomy_term"] == 90
    assert counts["schedule"] >= 301 and counts["language"] >= 301 and counts["attribute"] >= 301


def test_every_batch_has_whole_organizations_before_their_services():
    seen: set[str] = set()
    for batch in generate_synthetic(100, seed=3, batch_size=10):
        seen.update(org["id"] for org in batch.get("organization", []))
        assert {s["organization_id"] for s in batch["service"]} <= seen


def test_synthetic_sites_spread_over_several_metros():
    (batch,) = generate_synthetic(400, seed=2)
    states = {a["state_province"] for a in batch["address"]}
    assert len(states) >= 4
    assert all(
        geo.valid_coordinates(loc["latitude"], loc["longitude"]) for loc in batch["location"]
    )


def test_size_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        next(generate_synthetic(0))


def test_stable_ids_are_uuid5_of_the_project_namespace():
    for key in ("sample/service/1", "synthetic-9/location/123456", "taxonomy_term/FOOD"):
        assert stable_id(key) == str(uuid.uuid5(NAMESPACE, key))


def test_a_small_synthetic_load_is_queryable(session):
    counts = seed_io.bulk_load(session, generate_synthetic(60, seed=11, batch_size=25))
    assert counts["service"] == 60 and counts["organization"] == 20
    joined = session.execute(
        select(func.count())
        .select_from(m.Service)
        .join(m.ServiceAtLocation)
        .join(m.Location)
        .join(m.Organization, m.Service.organization_id == m.Organization.id)
    ).scalar_one()
    assert joined == 60
    location = session.scalars(select(m.Location).order_by(m.Location.id)).first()
    near = geo.nearest_locations(session, location.latitude, location.longitude, 0.5)
    assert location.id in {n.location_id for n in near}


def test_loaded_service_areas_get_their_geometry(session):
    seed_io.bulk_load(session, generate_synthetic(90, seed=12))
    area = session.scalars(
        select(m.ServiceArea)
        .where(m.ServiceArea.extent_type == "geojson")
        .order_by(m.ServiceArea.id)
    ).first()
    assert area is not None and area.extent_geom is not None
    service = session.get(m.Service, area.service_id)
    site = service.service_at_locations[0].location
    assert area.id in geo.areas_covering(session, site.latitude, site.longitude)


def test_the_taxonomy_is_loaded_once_for_several_synthetic_directories(session):
    seed_io.bulk_load(session, generate_synthetic(6, seed=21))
    counts = seed_io.bulk_load(session, generate_synthetic(6, seed=22))
    assert "taxonomy_term" not in counts
    assert session.scalar(select(func.count()).select_from(m.TaxonomyTerm)) == 90
    assert session.scalar(select(func.count()).select_from(m.Service)) == 12


def test_load_sample_if_empty_loads_once_and_describes_what_it_loaded(session):
    described = seed.load_sample_if_empty(session)
    services = session.scalar(select(func.count()).select_from(m.Service))
    assert described == f"{services} services from 124 organizations"
    assert services >= 300
    assert seed.load_sample_if_empty(session) is None


def test_load_sample_if_empty_leaves_an_existing_directory_alone(session):
    seed_io.bulk_load(session, generate_synthetic(3, seed=31))
    assert seed.load_sample_if_empty(session) is None
    assert session.scalar(select(func.count()).select_from(m.Service)) == 3


def test_an_older_demo_database_gains_the_spanish_term_names(session):
    seed_io.bulk_load(session, generate_synthetic(3, seed=32))  # the needs taxonomy, no names
    session.execute(delete(m.TaxonomyTermTranslation))
    assert seed.load_sample_if_empty(session) is None
    translated = select(func.count()).select_from(m.TaxonomyTermTranslation)
    assert session.scalar(translated) == 90
    assert seed.load_sample_if_empty(session) is None and session.scalar(translated) == 90
