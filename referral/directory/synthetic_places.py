"""Real places for the fictional directory: ZIP code centroids from ``zipcodes``,
points jittered around them, and rough county outlines for service areas."""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from functools import cache

from referral.directory.synthetic_vocab import CITY_NEIGHBORHOODS, Metro

# Sites are scattered up to this far from their ZIP code's centroid.
JITTER_KM = 1.5
KM_PER_DEGREE = 111.32
# A county outline is the hull of its ZIP centroids grown by this much (about 3 km).
OUTLINE_BUFFER_DEGREES = 0.03


@dataclass(frozen=True)
class Place:
    zip: str
    city: str
    county: str
    state: str
    lat: float
    lon: float


def _county_name(raw: str) -> str:
    # zipcodes spells Baltimore's independent city both "Baltimore city" and "Baltimore City".
    return raw[: -len(" city")] + " City" if raw.endswith(" city") else raw


def _usable(record: dict[str, object]) -> bool:
    return (
        record["zip_code_type"] == "STANDARD"
        and bool(record["active"])
        and float(str(record["lat"])) != 0.0
    )


@dataclass
class Places:
    """Standard, active ZIP codes of each metro, in ZIP order (so choices are repeatable)."""

    metros: tuple[Metro, ...]
    by_metro: dict[str, list[Place]]
    _outlines: dict[tuple[str, str], str] = field(default_factory=dict)

    def all(self) -> list[Place]:
        return [place for metro in self.metros for place in self.by_metro[metro.name]]

    def pick(self, rng: random.Random) -> tuple[Metro, Place]:
        """A metro in proportion to its ZIP codes, and one of them."""
        metro = rng.choices(self.metros, [len(self.by_metro[m.name]) for m in self.metros])[0]
        return metro, rng.choice(self.by_metro[metro.name])

    def near(self, metro: Metro, rng: random.Random) -> Place:
        return rng.choice(self.by_metro[metro.name])

    def in_county(self, county: str) -> list[Place]:
        return [place for place in self.all() if place.county == county]

    def label(self, place: Place, rng: random.Random) -> str:
        if place.county == "Baltimore City":
            return rng.choice(CITY_NEIGHBORHOODS)
        return place.city

    def jitter(self, place: Place, rng: random.Random) -> tuple[float, float]:
        """A point within JITTER_KM of the ZIP centroid, uniform over the disc."""
        distance = JITTER_KM * math.sqrt(rng.random())
        bearing = rng.uniform(0, 2 * math.pi)
        dlat = distance * math.cos(bearing) / KM_PER_DEGREE
        dlon = distance * math.sin(bearing) / (KM_PER_DEGREE * math.cos(math.radians(place.lat)))
        return round(place.lat + dlat, 6), round(place.lon + dlon, 6)

    def county_extent(self, place: Place) -> str:
        """GeoJSON polygon roughly covering the place's county (cached per county)."""
        key = (place.state, place.county)
        if key not in self._outlines:
            self._outlines[key] = _outline([p for p in self.all() if (p.state, p.county) == key])
        return self._outlines[key]


def _outline(places: list[Place]) -> str:
    from shapely.geometry import MultiPoint, mapping

    hull = MultiPoint([(p.lon, p.lat) for p in places]).convex_hull
    polygon = hull.buffer(OUTLINE_BUFFER_DEGREES, quad_segs=4).simplify(0.005)
    ring = [[round(x, 4), round(y, 4)] for x, y in mapping(polygon)["coordinates"][0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]}, separators=(",", ":"))


@cache
def load_places(metros: tuple[Metro, ...]) -> Places:
    """Reading all US ZIP codes takes a second or two, so it is done once per process."""
    import zipcodes

    wanted = {(metro.state, county): metro.name for metro in metros for county in metro.counties}
    by_metro: dict[str, list[Place]] = {metro.name: [] for metro in metros}
    for record in zipcodes.list_all():
        county = _county_name(str(record["county"]))
        metro_name = wanted.get((str(record["state"]), county))
        if metro_name and _usable(record):
            by_metro[metro_name].append(
                Place(
                    zip=str(record["zip_code"]),
                    city=str(record["city"]),
                    county=county,
                    state=str(record["state"]),
                    lat=float(str(record["lat"])),
                    lon=float(str(record["long"])),
                )
            )
    for places in by_metro.values():
        places.sort(key=lambda p: p.zip)
    return Places(metros, by_metro)
