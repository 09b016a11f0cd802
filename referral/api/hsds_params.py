"""Query parameters of the HSDS API, parsed and checked before any query runs.

Each parser raises :class:`InvalidParameter` naming the field, so a client sending
``per_page=100000`` or ``proximity=-3`` gets a 400 problem+json it can act on rather
than a silently clamped or empty answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from referral.api.problems import InvalidParameter

PER_PAGE_DEFAULT = 20
# Big enough for bulk consumers, small enough that one page stays a fast query.
PER_PAGE_MAX = 100
# Past this, a page number is a typo or a probe, not a request for data.
PAGE_MAX = 100_000
# HSDS gives proximity in metres from the postcode centroid. 500 km covers any
# realistic service region; beyond it the filter is no filter at all.
PROXIMITY_MAX_M = 500_000.0
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}
_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")
# An unencoded "+" in a query string arrives as a space: "...T10:00:00 05:00".
_LOST_PLUS = re.compile(r"(?<=T\d\d:\d\d:\d\d) (\d\d:\d\d)$")


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Postcode:
    code: str
    latitude: float
    longitude: float


def page_request(args: Mapping[str, str]) -> PageRequest:
    page = integer(args, "page", 1, 1, PAGE_MAX)
    per_page = integer(args, "per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX)
    return PageRequest(page=page, per_page=per_page)


def integer(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParameter(name, f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise InvalidParameter(name, f"{name} must be between {low} and {high}, got {value}")
    return value


def boolean(args: Mapping[str, str], name: str) -> bool:
    raw = (args.get(name) or "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise InvalidParameter(name, f"{name} must be true or false, got {raw!r}")


def text(args: Mapping[str, str], name: str, max_length: int = 200) -> str | None:
    raw = (args.get(name) or "").strip()
    if len(raw) > max_length:
        raise InvalidParameter(name, f"{name} must be at most {max_length} characters")
    return raw or None


def timestamp(args: Mapping[str, str], name: str) -> datetime | None:
    """An ISO 8601 date or date-time; naive values are read as UTC."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(_LOST_PLUS.sub(r"+\1", raw.replace("Z", "+00:00")))
    except ValueError:
        raise InvalidParameter(
            name, f"{name} must be an ISO 8601 date or date-time, got {raw!r}"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def output_format(args: Mapping[str, str]) -> str:
    raw = (args.get("format") or "json").strip().lower()
    if raw not in ("json", "ndjson"):
        raise InvalidParameter("format", f"format must be json or ndjson, got {raw!r}")
    return raw


def postcode(args: Mapping[str, str]) -> Postcode | None:
    """The US ZIP code's centroid from the offline gazetteer (no network call)."""
    raw = (args.get("postcode") or "").strip()
    if not raw:
        return None
    found = _ZIP.match(raw)
    if not found:
        raise InvalidParameter("postcode", f"postcode must be a 5-digit US ZIP code, got {raw!r}")
    centroid = zip_centroid(found.group(1))
    if centroid is None:
        raise InvalidParameter("postcode", f"postcode {found.group(1)} is not a known ZIP code")
    return Postcode(found.group(1), *centroid)


def zip_centroid(code: str) -> tuple[float, float] | None:
    import zipcodes

    try:
        rows = zipcodes.matching(code)
    except (ValueError, TypeError):
        return None
    for row in rows:
        try:
            return float(row["lat"]), float(row["long"])
        except (KeyError, TypeError, ValueError):
            continue
    return None


def proximity_m(args: Mapping[str, str], has_postcode: bool) -> float | None:
    raw = (args.get("proximity") or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InvalidParameter("proximity", f"proximity must be metres, got {raw!r}") from None
    if not math.isfinite(value) or not 0 < value <= PROXIMITY_MAX_M:
        raise InvalidParameter(
            "proximity", f"proximity must be between 0 and {PROXIMITY_MAX_M:g} metres"
        )
    if not has_postcode:
        raise InvalidParameter("proximity", "proximity is measured from a postcode: give one")
    return value
