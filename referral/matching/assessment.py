"""A client's assessment: needs (SDOH codes) and facts, parsed from the client JSON.

``parse_client`` is the single gate for client input (CLI files, API bodies, web forms):
anything it accepts is well-formed, and anything it refuses raises ``InvalidClient``
naming the JSON path of the field at fault, so every entry point can say what is wrong.
What a form can get wrong is said in the reader's language (English outside a request).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import gettext as _

from referral.matching import codes

GENDERS = {
    "female": "female", "woman": "female", "f": "female", "girl": "female",
    "male": "male", "man": "male", "m": "male", "boy": "male",
    "nonbinary": "nonbinary", "non-binary": "nonbinary", "other": "other",
}  # fmt: skip
INSURANCE = {
    "medicaid": "medicaid", "medicare": "medicare", "private": "private",
    "uninsured": "uninsured", "none": "uninsured", "other": "other", "va": "va",
}  # fmt: skip
HOUSING = {
    "housed": "housed", "stable": "housed", "unstably-housed": "unstably-housed",
    "unstable": "unstably-housed", "at-risk": "unstably-housed", "homeless": "homeless",
    "sheltered": "homeless", "unsheltered": "homeless",
}  # fmt: skip
URGENCIES = ("routine", "soon", "urgent")


class InvalidClient(ValueError):
    """The client JSON has a missing, unknown or impossible field."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.detail = detail


@dataclass(frozen=True)
class Place:
    lat: float | None = None
    lon: float | None = None
    postal_code: str | None = None
    city: str | None = None
    county: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class ClientFacts:
    """What is known about the client; None always means "not known"."""

    age: int | None = None
    household_size: int | None = None
    monthly_income: float | None = None
    languages: tuple[str, ...] = ()
    gender: str | None = None
    veteran: bool | None = None
    insurance: str | None = None
    disability: bool | None = None
    pregnant: bool | None = None
    housing_status: str | None = None
    children: int | None = None
    violence_survivor: bool | None = None
    county: str | None = None
    place: Place | None = None
    # Ids of the service areas whose extent covers the client's point: filled from the
    # database by ``records.with_covering_areas``; None when not looked up or no point.
    within_areas: frozenset[str] | None = None

    @property
    def state(self) -> str | None:
        return self.place.state if self.place else None


@dataclass(frozen=True)
class Need:
    domain: str
    detail: str | None = None
    urgency: str = "routine"

    @property
    def display(self) -> str:
        return codes.display(self.domain)


@dataclass(frozen=True)
class Assessment:
    facts: ClientFacts = field(default_factory=ClientFacts)
    needs: tuple[Need, ...] = ()


def parse_client(data: Any) -> Assessment:
    if not isinstance(data, Mapping):
        raise InvalidClient("client", "must be a JSON object")
    unknown = set(data) - {"location", "facts", "needs", "screening"}
    if unknown:
        raise InvalidClient(
            sorted(unknown)[0], "unknown field (expected location, facts, needs, screening)"
        )
    facts = parse_facts({} if data.get("facts") is None else data["facts"])
    if data.get("location") is not None:
        facts = with_place(facts, parse_location(data["location"]))
    needs = parse_needs([] if data.get("needs") is None else data["needs"])
    if data.get("screening") is not None:
        needs = _merge_needs(needs, _screened(data["screening"]))
    return Assessment(facts, needs)


def _screened(answers: Any) -> tuple[Need, ...]:
    from referral.matching.screening import needs_from_screening

    return needs_from_screening(answers)


def _merge_needs(stated: tuple[Need, ...], screened: tuple[Need, ...]) -> tuple[Need, ...]:
    """Needs the case manager stated win over the same domain found by screening."""
    have = {n.domain for n in stated}
    return stated + tuple(n for n in screened if n.domain not in have)


def parse_facts(data: Any, path: str = "facts") -> ClientFacts:
    if not isinstance(data, Mapping):
        raise InvalidClient(path, "must be an object")
    values: dict[str, Any] = {}
    for name, raw in data.items():
        parser = FACT_PARSERS.get(name)
        if parser is None:
            known = ", ".join(sorted(FACT_PARSERS))
            raise InvalidClient(f"{path}.{name}", f"unknown fact (known facts: {known})")
        if raw is not None:
            values[name] = parser(f"{path}.{name}", raw)
    return ClientFacts(**values)


def parse_needs(data: Any) -> tuple[Need, ...]:
    if not isinstance(data, list):
        raise InvalidClient("needs", "must be a list")
    return tuple(_need(f"needs[{i}]", item) for i, item in enumerate(data))


def _need(path: str, item: Any) -> Need:
    if isinstance(item, str):
        item = {"domain": item}
    if not isinstance(item, Mapping):
        raise InvalidClient(path, "must be an object with a domain")
    extra = set(item) - {"domain", "detail", "urgency"}
    if extra:
        raise InvalidClient(f"{path}.{sorted(extra)[0]}", "unknown field")
    domain = item.get("domain")
    if not isinstance(domain, str) or not codes.is_need_code(domain):
        raise InvalidClient(f"{path}.domain", f"{domain!r} is not a Gravity SDOH category code")
    urgency = item.get("urgency") or "routine"
    if urgency not in URGENCIES:
        raise InvalidClient(f"{path}.urgency", f"must be one of {', '.join(URGENCIES)}")
    detail = item.get("detail")
    if detail is not None and not isinstance(detail, str):
        raise InvalidClient(f"{path}.detail", "must be text")
    return Need(domain, detail.strip() or None if detail else None, urgency)


def parse_location(data: Any, path: str = "location") -> Place:
    from referral.matching import places

    if not isinstance(data, Mapping):
        raise InvalidClient(path, "must be an object with lat/lon or postal_code")
    extra = set(data) - {"lat", "lon", "postal_code"}
    if extra:
        raise InvalidClient(f"{path}.{sorted(extra)[0]}", "unknown field")
    place = Place()
    if data.get("postal_code") is not None:
        found = places.place_for_zip(str(data["postal_code"]).strip())
        if found is None:
            zip_code = repr(data["postal_code"])
            raise InvalidClient(
                f"{path}.postal_code", _("%(value)s is not a US ZIP", value=zip_code)
            )
        place = found
    if data.get("lat") is not None or data.get("lon") is not None:
        lat = _number(f"{path}.lat", data.get("lat"), -90, 90)
        lon = _number(f"{path}.lon", data.get("lon"), -180, 180)
        place = replace(place, lat=lat, lon=lon)
    if place == Place():
        raise InvalidClient(path, "give lat and lon, or postal_code")
    return place


def with_place(facts: ClientFacts, place: Place) -> ClientFacts:
    county = facts.county or place.county
    return replace(facts, place=place, county=county)


def _number(path: str, raw: Any, low: float, high: float) -> float:
    not_a_number = _("must be a number, not %(value)s", value=repr(raw))
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InvalidClient(path, not_a_number)
    try:
        value = float(raw)
    except ValueError:
        raise InvalidClient(path, not_a_number) from None
    if math.isnan(value) or not low <= value <= high:
        bounds = {"low": format(low, "g"), "high": format(high, "g")}
        message = _("%(value)s is out of range (%(low)s to %(high)s)", value=repr(raw), **bounds)
        raise InvalidClient(path, message)
    return value


def _integer(low: int, high: int) -> Callable[[str, Any], int]:
    def parse(path: str, raw: Any) -> int:
        value = _number(path, raw, low, high)
        if value != int(value):
            raise InvalidClient(path, _("must be a whole number, not %(value)s", value=repr(raw)))
        return int(value)

    return parse


def _money(path: str, raw: Any) -> float:
    return _number(path, raw, 0, 10_000_000)


def _flag(path: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"true", "yes", "y", "1"}:
        return True
    if text in {"false", "no", "n", "0"}:
        return False
    raise InvalidClient(path, _("must be true or false, not %(value)s", value=repr(raw)))


def _choice(table: dict[str, str]) -> Callable[[str, Any], str]:
    def parse(path: str, raw: Any) -> str:
        value = table.get(str(raw).strip().lower())
        if value is None:
            choices = ", ".join(sorted(set(table)))
            raise InvalidClient(
                path, _("%(value)s is not one of %(choices)s", value=repr(raw), choices=choices)
            )
        return value

    return parse


def _languages(path: str, raw: Any) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(x, str) and x.strip() for x in items):
        raise InvalidClient(path, _("must be a list of language codes or names"))
    return tuple(x.strip().lower() for x in items)


def _county(path: str, raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidClient(path, _("must be a county name"))
    return raw.strip()


FACT_PARSERS: dict[str, Callable[[str, Any], Any]] = {
    "age": _integer(0, 120),
    "household_size": _integer(1, 30),
    "monthly_income": _money,
    "languages": _languages,
    "gender": _choice(GENDERS),
    "veteran": _flag,
    "insurance": _choice(INSURANCE),
    "disability": _flag,
    "pregnant": _flag,
    "housing_status": _choice(HOUSING),
    "children": _integer(0, 30),
    "violence_survivor": _flag,
    "county": _county,
}
