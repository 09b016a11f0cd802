"""Search parameters: parsed and validated once, for the API, the pages and the CLI.

Every bad value raises :class:`InvalidParameter` naming the field, which the API turns
into a 400 problem+json and the CLI into a usage error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from referral.api.problems import InvalidParameter
from referral.directory import geo

SORTS = ("relevance", "distance", "blend")
STATUSES = ("active", "temporarily closed", "inactive", "defunct")
# Inactive and defunct listings are hidden unless asked for: a case manager should not
# send a client to a service that has closed for good.
DEFAULT_STATUSES = ("active", "temporarily closed")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_RADIUS_KM = 500.0
MAX_QUERY_LENGTH = 500
MAX_PAGE = 1000
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")


class Args(Protocol):
    def get(self, key: str, /) -> Any: ...


@dataclass
class SearchParams:
    q: str = ""
    latitude: float | None = None
    longitude: float | None = None
    postcode: str | None = None
    radius_km: float | None = None
    taxonomy: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    open_now: bool = False
    open_at: datetime | None = None
    service_area: bool = False
    age: int | None = None
    free: bool = False
    accessible: bool = False
    capacity: bool = False
    organization: str | None = None
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    # Leave out listings last verified before this day (REFERRAL_HIDE_AFTER_DAYS); set
    # by the app from its settings, never from the query string.
    verified_since: date | None = None

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return self.latitude, self.longitude


def _values(args: Args, name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    raw = getlist(name) if getlist else args.get(name)
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def _one(args: Args, name: str) -> str | None:
    value = args.get(name)
    return None if value is None or str(value).strip() == "" else str(value).strip()


def _number(args: Args, name: str, low: float, high: float) -> float | None:
    raw = _one(args, name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InvalidParameter(name, f"{name} must be a number, got {raw!r}") from None
    if math.isnan(value) or not low <= value <= high:
        raise InvalidParameter(name, f"{name} must be between {low:g} and {high:g}")
    return value


def _integer(args: Args, name: str, low: int, high: int, default: int | None) -> int | None:
    raw = _one(args, name)
    if raw is None:
        return default
    if not raw.lstrip("-").isdigit():
        raise InvalidParameter(name, f"{name} must be a whole number, got {raw!r}")
    if not low <= int(raw) <= high:
        raise InvalidParameter(name, f"{name} must be between {low} and {high}")
    return int(raw)


def _flag(args: Args, name: str) -> bool:
    raw = (_one(args, name) or "").lower()
    if raw not in TRUE_WORDS + FALSE_WORDS:
        raise InvalidParameter(name, f"{name} must be true or false, got {raw!r}")
    return raw in TRUE_WORDS


def _point(args: Args) -> tuple[float | None, float | None]:
    near = _one(args, "near")
    if near is not None:
        parts = near.split(",")
        try:
            point = [float(p) for p in parts] if len(parts) == 2 else [math.nan, math.nan]
            geo.check_coordinates(point[0], point[1])
        except (ValueError, geo.InvalidCoordinates):
            raise InvalidParameter("near", f"near must be LAT,LON on Earth, got {near!r}") from None
        return point[0], point[1]
    lat, lon = _number(args, "lat", -90, 90), _number(args, "lon", -180, 180)
    if (lat is None) != (lon is None):
        raise InvalidParameter("lat" if lat is None else "lon", "give both lat and lon")
    return lat, lon


def geocode_postcode(postcode: str) -> tuple[float, float]:
    """The centre of a US ZIP code, offline (``zipcodes``)."""
    import zipcodes

    try:
        found = zipcodes.matching(postcode)
    except (TypeError, ValueError):
        found = []
    if not found or not found[0].get("lat"):
        raise InvalidParameter("postcode", f"{postcode!r} is not a known US ZIP code")
    return float(found[0]["lat"]), float(found[0]["long"])


def _open_at(args: Args) -> datetime | None:
    raw = _one(args, "open_at")
    if raw is None:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidParameter(
            "open_at", f"open_at must be an ISO date-time, got {raw!r}"
        ) from None


def _statuses(args: Args) -> tuple[str, ...]:
    values = [v.lower() for v in _values(args, "status")]
    if not values:
        return DEFAULT_STATUSES
    if values == ["all"]:
        return STATUSES
    unknown = [v for v in values if v not in STATUSES]
    if unknown:
        raise InvalidParameter(
            "status", f"unknown status {unknown[0]!r}; use {', '.join(STATUSES)}"
        )
    return tuple(values)


def _choice(args: Args, name: str, choices: tuple[str, ...], default: str) -> str:
    value = (_one(args, name) or default).lower()
    if value not in choices:
        raise InvalidParameter(name, f"{name} must be one of {', '.join(choices)}")
    return value


def parse_params(args: Args) -> SearchParams:
    """SearchParams from request arguments (a dict or a werkzeug MultiDict)."""
    q = _one(args, "q") or ""
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidParameter("q", f"q must be at most {MAX_QUERY_LENGTH} characters")
    lat, lon = _point(args)
    params = SearchParams(
        q=q,
        latitude=lat,
        longitude=lon,
        radius_km=_number(args, "radius_km", 0, MAX_RADIUS_KM),
        taxonomy=_values(args, "taxonomy"),
        languages=[v.lower() for v in _values(args, "language")],
        open_now=_flag(args, "open_now"),
        open_at=_open_at(args),
        service_area=_flag(args, "service_area"),
        age=_integer(args, "age", 0, 130, None),
        free=_flag(args, "free"),
        accessible=_flag(args, "accessible"),
        capacity=_flag(args, "capacity"),
        organization=_one(args, "organization"),
        statuses=_statuses(args),
        sort=_choice(args, "sort", SORTS, "relevance"),
        page=_integer(args, "page", 1, MAX_PAGE, 1) or 1,
        per_page=_integer(args, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE) or DEFAULT_PER_PAGE,
    )
    return _complete(params, _one(args, "postcode"))


def _complete(params: SearchParams, postcode: str | None) -> SearchParams:
    if params.radius_km is not None and params.radius_km <= 0:
        raise InvalidParameter("radius_km", "radius_km must be greater than 0")
    if postcode is not None and params.point is None:
        params.postcode = postcode
        params.latitude, params.longitude = geocode_postcode(postcode)
    if params.point is None:
        for name, wanted in (
            ("radius_km", params.radius_km is not None),
            ("service_area", params.service_area),
            ("sort", params.sort != "relevance"),
        ):
            if wanted:
                raise InvalidParameter(
                    name, f"{name} needs a point: give near, lat/lon or postcode"
                )
    return params
