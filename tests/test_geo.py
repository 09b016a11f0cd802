import math

import pytest
from sqlalchemy import text

from referral import db
from referral.directory import geo
from referral.directory.models import Location, Organization, ServiceArea

MIAMI = (25.7617, -80.1918)


def _locations(session, points):
    org = Organization(name="Geo test org", description="d")
    session.add(org)
    session.flush()
    made = []
    for lat, lon in points:
        loc = Location(
            location_type="physical", organization_id=org.id, latitude=lat, longitude=lon
        )
        session.add(loc)
        made.append(loc)
    session.flush()
    return made


def test_nearest_locations_are_within_radius_and_ordered_by_distance(session):
    far, near, middle = _locations(session, [(26.5, -80.2), (25.77, -80.19), (25.9, -80.2)])
    found = geo.nearest_locations(session, *MIAMI, radius_km=30)
    assert [n.location_id for n in found] == [near.id, middle.id]
    assert found[0].distance_km < found[1].distance_km
    expected = geo.haversine_km(*MIAMI, 25.9, -80.2)
    assert math.isclose(found[1].distance_km, expected, rel_tol=1e-9)


def test_locations_without_valid_coordinates_are_never_near(session):
    _locations(session, [(None, None), (0.0, 0.0)])
    assert geo.nearest_locations(session, 0.0, 0.0, radius_km=10) == []


def test_nearest_rejects_points_off_the_earth(session):
    with pytest.raises(geo.InvalidCoordinates):
        geo.nearest_locations(session, 91, 0, radius_km=1)


def test_service_area_extent_covers_points_inside_only(session):
    area = ServiceArea(
        name="Box",
        extent='{"type":"Polygon","coordinates":[[[-81,25],[-80,25],[-80,26],[-81,26],[-81,25]]]}',
        extent_type="geojson",
    )
    session.add(area)
    session.flush()
    assert area.id in geo.areas_covering(session, 25.5, -80.5)
    assert area.id not in geo.areas_covering(session, 27.0, -80.5)


def test_nearest_query_uses_the_gist_index_on_postgis(session):
    if db.backend(session) != "postgresql":
        pytest.skip("the GiST index exists on PostgreSQL only")
    _locations(session, [(25.7 + i / 1000, -80.2) for i in range(50)])
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = session.execute(
        text(
            "EXPLAIN SELECT id FROM location WHERE ST_DWithin(geom, "
            "ST_GeogFromText('SRID=4326;POINT(-80.19 25.76)'), 5000, false)"
        )
    ).scalars()
    assert "ix_location_geom" in "\n".join(plan)
