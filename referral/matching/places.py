"""Offline US places: ZIP -> point, city, county, state (the ``zipcodes`` package),
and the normalized keys that residency rules compare."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from referral.matching.assessment import ClientFacts, Place

# Old or short names that listings use for a county.
COUNTY_ALIASES = {"dade": "miami-dade"}

STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI",
    "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ",
    "new mexico": "NM", "new york": "NY", "north carolina": "NC", "north dakota": "ND",
    "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN",
    "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
}  # fmt: skip


def county_key(name: str | None) -> str | None:
    """'Miami-Dade County', 'Miami Dade', 'Dade County' -> 'miami-dade';
    'Baltimore city' -> 'baltimore-city' (an independent city is its own county)."""
    if not name:
        return None
    text = re.sub(r"[^a-z0-9]+", " ", name.lower())
    key = "-".join(re.sub(r"\b(county|counties|parish)\b", " ", text).split())
    return COUNTY_ALIASES.get(key, key) or None


def city_key(name: str | None) -> str | None:
    if not name:
        return None
    text = re.sub(r"\b(city|town|village) of\b", " ", name.lower())
    return "-".join(re.sub(r"[^a-z0-9]+", " ", text).split()) or None


def state_code(name: str | None) -> str | None:
    if not name:
        return None
    text = name.strip()
    if len(text) == 2 and text.upper() in STATES.values():
        return text.upper()
    return STATES.get(text.lower())


def place_for_zip(code: str) -> Place | None:
    if not re.fullmatch(r"\d{5}(-\d{4})?", code):
        return None
    import zipcodes

    found = zipcodes.matching(code[:5])
    if not found:
        return None
    row = found[0]
    return Place(
        lat=float(row["lat"]),
        lon=float(row["long"]),
        postal_code=code[:5],
        city=row["city"],
        county=row["county"],
        state=row["state"],
    )


@cache
def county_names() -> frozenset[str]:
    import zipcodes

    return frozenset(county_key(row["county"]) or "" for row in zipcodes.list_all())


@cache
def city_names() -> frozenset[str]:
    import zipcodes

    return frozenset(city_key(row["city"]) or "" for row in zipcodes.list_all())


@cache
def independent_cities() -> frozenset[str]:
    """County names that are cities ('baltimore-city'), so 'Baltimore City' in a
    listing is read as a county-level area rather than a city name."""
    import zipcodes

    return frozenset(
        county_key(row["county"]) or ""
        for row in zipcodes.list_all()
        if row["county"].lower().endswith(" city")
    )


SCOPES = ("county", "city", "zip", "state")
# Area names that cover every client (no residency limit in practice).
EVERYWHERE = re.compile(r"^(nationwide|national|united states|usa|us|anywhere|worldwide)$", re.I)


def scope_key(scope: str, value: str) -> str | None:
    if scope == "county":
        return county_key(value)
    if scope == "city":
        return city_key(value)
    if scope == "state":
        return state_code(value)
    return value.strip()[:5]


def client_key(scope: str, facts: ClientFacts) -> str | None:
    place = facts.place or Place()
    raw = {"county": facts.county, "city": place.city, "zip": place.postal_code}.get(
        scope, place.state
    )
    return scope_key(scope, raw) if raw else None


# "Greater Baltimore", "Baltimore area": a region named after its main place.
REGION_WORDS = re.compile(r"\b(?:greater|area|region|metro(?:politan)?)\b", re.I)


def area_scope(name: str | None) -> tuple[str, str] | None:
    """What a service area's name means: ('county', 'baltimore'), ('state', 'MD'),
    ('zip', '21201'), ('everywhere', ''), ('city', ...) for a bare place name; None if empty."""
    text = (name or "").strip()
    if not text:
        return None
    if EVERYWHERE.match(text):
        return "everywhere", ""
    if re.fullmatch(r"\d{5}", text):
        return "zip", text
    if state_code(text):
        return "state", state_code(text) or ""
    key = county_key(text) or ""
    if re.search(r"\b(county|parish)\b", text, re.I) or key in independent_cities():
        return "county", key
    return "city", city_key(REGION_WORDS.sub(" ", text)) or ""


def area_status(area: dict[str, Any], facts: ClientFacts) -> str:
    """met / not_met / unknown for one service area; a bare place name that is not the
    client's own city or county is unknown (never an exclusion): it may be a region."""
    if area.get("has_extent") and facts.within_areas is not None:
        return "met" if area["id"] in facts.within_areas else "not_met"
    scope = area_scope(area.get("name"))
    if scope is None:
        return "unknown"
    kind, key = scope
    if kind == "everywhere":
        return "met"
    if kind == "city":
        mine = {client_key("city", facts), client_key("county", facts)} - {None}
        return "met" if key in mine else "unknown"
    have = client_key(kind, facts)
    if have is None:
        return "unknown"
    return "met" if have == key else "not_met"
