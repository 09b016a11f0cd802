"""Every difference between SQLite and PostGIS lives here.

On PostgreSQL, location points are ``geography(POINT, 4326)`` and service-area
extents ``geometry(GEOMETRY, 4326)``, both with GiST indexes, queried with
``ST_DWithin``/``ST_Distance`` and ``ST_Covers``. On SQLite the same columns hold
EWKT text, and the same predicates are answered in Python with the same sphere, so
both backends give the same answers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from geoalchemy2 import Geography, Geometry
from sqlalchemy import Text, bindparam, func, select
from sqlalchemy.orm import Session

from referral.db import backend

# PostGIS's sphere for geography math with use_spheroid=false: the WGS84 mean radius.
EARTH_RADIUS_KM = 6371.0087714

# Text everywhere but PostgreSQL, where PostGIS parses the EWKT we write. The base type
# is Text so that GeoAlchemy2's SpatiaLite hooks never fire on plain SQLite.
POINT = Text().with_variant(Geography("POINT", srid=4326, spatial_index=False), "postgresql")
AREA = Text().with_variant(Geometry("GEOMETRY", srid=4326, spatial_index=False), "postgresql")


class InvalidCoordinates(ValueError):
    """Latitude or longitude out of range or not a number."""


@dataclass(frozen=True)
class Nearby:
    location_id: str
    distance_km: float


def check_coordinates(lat: float, lon: float) -> None:
    if not (isinstance(lat, int | float) and isinstance(lon, int | float)):
        raise InvalidCoordinates("latitude and longitude must be numbers")
    if math.isnan(lat) or math.isnan(lon) or not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise InvalidCoordinates(f"({lat}, {lon}) is not a point on Earth")


def valid_coordinates(lat: float | None, lon: float | None) -> bool:
    if lat is None or lon is None:
        return False
    try:
        check_coordinates(lat, lon)
    except InvalidCoordinates:
        return False
    return not (lat == 0 and lon == 0)  # "null island": a missing geocode, not a place


def point_ewkt(lat: float, lon: float) -> str:
    return f"SRID=4326;POINT({lon!r} {lat!r})"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing the circle; used to prefilter rows."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = math.cos(math.radians(lat))
    dlon = 180.0 if cos_lat < 1e-9 else min(180.0, dlat / cos_lat)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def nearest_locations(
    session: Session, lat: float, lon: float, radius_km: float, limit: int | None = None
) -> list[Nearby]:
    """Locations within ``radius_km`` of the point, nearest first (ties by id)."""
    check_coordinates(lat, lon)
    if radius_km <= 0:
        raise ValueError("radius must be positive")
    if backend(session) == "postgresql":
        return _nearest_postgis(session, lat, lon, radius_km, limit)
    return _nearest_python(session, lat, lon, radius_km, limit)


def _nearest_postgis(
    session: Session, lat: float, lon: float, radius_km: float, limit: int | None
) -> list[Nearby]:
    from referral.directory.models import Location

    here = func.ST_GeogFromText(bindparam("here", point_ewkt(lat, lon)))
    distance = func.ST_Distance(Location.geom, here, False).label("distance_m")
    query = (
        select(Location.id, distance)
        .where(func.ST_DWithin(Location.geom, here, radius_km * 1000.0, False))
        .order_by(distance, Location.id)
        .limit(limit)
    )
    return [Nearby(row.id, row.distance_m / 1000.0) for row in session.execute(query)]


def _nearest_python(
    session: Session, lat: float, lon: float, radius_km: float, limit: int | None
) -> list[Nearby]:
    from referral.directory.models import Location

    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
    query = select(Location.id, Location.latitude, Location.longitude).where(
        Location.latitude.between(min_lat, max_lat),
        Location.longitude.between(min_lon, max_lon),
        Location.geom.is_not(None),
    )
    found = []
    for row in session.execute(query):
        km = haversine_km(lat, lon, row.latitude, row.longitude)
        if km <= radius_km:
            found.append(Nearby(row.id, km))
    found.sort(key=lambda n: (n.distance_km, n.location_id))
    return found[:limit] if limit is not None else found


def areas_covering(
    session: Session, lat: float, lon: float, among: Sequence[str] | None = None
) -> set[str]:
    """Ids of service areas whose extent covers the point (only those ``among`` the
    given ids when given: the matcher asks about its candidates' areas only)."""
    from referral.directory.models import ServiceArea

    check_coordinates(lat, lon)
    if among is not None and not among:
        return set()
    if backend(session) == "postgresql":
        here = func.ST_GeomFromEWKT(bindparam("here", point_ewkt(lat, lon)))
        query = select(ServiceArea.id).where(func.ST_Covers(ServiceArea.extent_geom, here))
        if among is not None:
            query = query.where(ServiceArea.id.in_(list(among)))
        return set(session.scalars(query))
    return _areas_covering_python(session, lat, lon, among)


def _areas_covering_python(
    session: Session, lat: float, lon: float, among: Sequence[str] | None = None
) -> set[str]:
    from shapely import wkt
    from shapely.geometry import Point

    from referral.directory.models import ServiceArea

    here = Point(lon, lat)
    query = select(ServiceArea.id, ServiceArea.extent_geom).where(
        ServiceArea.extent_geom.is_not(None)
    )
    if among is not None:
        query = query.where(ServiceArea.id.in_(list(among)))
    rows = session.execute(query)
    return {row.id for row in rows if wkt.loads(row.extent_geom.split(";", 1)[-1]).covers(here)}


def extent_ewkt(extent: str | None, extent_type: str | None) -> str | None:
    """The EWKT polygon of an HSDS service-area extent given as GeoJSON, or None."""
    if not extent or (extent_type or "").lower() != "geojson":
        return None
    import json

    from shapely.geometry import shape

    try:
        geometry = shape(json.loads(extent).get("geometry", json.loads(extent)))
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    if geometry.is_empty or not geometry.is_valid:
        return None
    return f"SRID=4326;{geometry.wkt}"
