"""A fictional but realistic resource directory, as HSDS 3.0 table rows.

Two products come from the same builder: the curated sample of ``seed_data/sample``
(Greater Baltimore, organizations with several locations and services) and synthetic
directories of any size for benchmarks (one organization per three services, one
location per service, spread over several US metros). Output is a stream of batches,
each a mapping of table name -> rows with every column of that table, so a
100,000-service directory never has to sit in memory at once.

Everything is deterministic: a seeded RNG, a fixed reference date, and ids that are
uuid5 of a namespace and a natural key. Places are real ZIP codes (``zipcodes``);
organizations, people and phone lines are made up (555-01xx numbers).

Regenerate the committed seed data with ``python -m referral.directory.seed_io seed_data``.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from referral.directory import synthetic_vocab as vocab
from referral.directory.synthetic_kinds import KINDS_BY_KEY, ORG_TYPES, Kind, OrgType
from referral.directory.synthetic_places import Place, Places, load_places
from referral.directory.synthetic_reference import (
    COLUMNS,
    Rows,
    reference_rows,
    stable_id,
    term_id,
    unit_id,
)
from referral.directory.synthetic_sample import build_sample
from referral.directory.synthetic_schedules import schedule_rows

SAMPLE_SEED = 20261101
# The sample's "today": verification dates spread over the three years before it.
REFERENCE_DATE = date(2026, 11, 1)
STATUSES = (("active", 84), ("temporarily closed", 7), ("inactive", 6), ("defunct", 3))
CLOSED_ALERTS = (
    "Temporarily closed for building repairs. Call for updates.",
    "Closed until further notice while we move to a new site.",
    "Paused: funding ended for this year; waiting list only.",
)
CAPACITY_TEXT = {
    "beds": "Beds open tonight",
    "rooms": "Family rooms open tonight",
    "units": "Units open for move-in this month",
    "appointments": "Appointments open this week",
}
CAPACITY_RANGE = {"beds": (12, 150), "rooms": (6, 40), "units": (8, 60), "appointments": (15, 80)}


def slug(text: str) -> str:
    kept = "".join(ch if ch.isalnum() else " " for ch in text.lower())
    return "-".join(kept.split())


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    slug: str
    type: OrgType
    place: Place
    phone: str
    metro: vocab.Metro


@dataclass(frozen=True)
class Site:
    location_id: str
    place: Place


class Builder:
    """Appends HSDS rows for organizations, locations and services to ``rows``."""

    def __init__(self, scope: str, seed: int, places: Places) -> None:
        self.scope = scope
        self.rng = random.Random(seed)
        self.places = places
        self.rows: Rows = defaultdict(list)
        self.counts: Counter[str] = Counter()

    def add(self, table: str, **values: Any) -> str:
        self.counts[table] += 1
        row = dict.fromkeys(COLUMNS[table])
        row["id"] = stable_id(f"{self.scope}/{table}/{self.counts[table]}")
        row.update(values)
        self.rows[table].append(row)
        return str(row["id"])

    def take(self) -> Rows:
        rows, self.rows = self.rows, defaultdict(list)
        return dict(rows)

    def weighted(self, pairs: tuple[tuple[str, int], ...]) -> str:
        return self.rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]

    def organization(self, org_type: OrgType, place: Place, metro: vocab.Metro, name: str) -> Org:
        rng, number = self.rng, self.counts["organization"]
        area = metro.area_codes[(number // 100) % len(metro.area_codes)]
        org_slug, phone = slug(name), f"{area}-555-01{number % 100:02d}"
        year = rng.randint(1948, 2022)
        org_id = self.add(
            "organization",
            name=name,
            alternate_name=_initials(name) if rng.random() < 0.3 else None,
            description=org_type.description.format(
                place=self.places.label(place, rng), county=place.county, year=year
            ),
            email=f"info@{org_slug}.example.org",
            website=f"https://www.{org_slug}.example.org",
            year_incorporated=year,
            legal_status=org_type.legal_status,
        )
        self.add(
            "phone", organization_id=org_id, number=phone, type="voice", description="Main line"
        )
        return Org(org_id, name, org_slug, org_type, place, phone, metro)

    def location(self, org: Org, place: Place, site_name: str) -> Site:
        rng = self.rng
        lat, lon = self.places.jitter(place, rng)
        location_id = self.add(
            "location",
            location_type="physical",
            organization_id=org.id,
            name=f"{org.name} - {site_name}",
            transportation=rng.choice(vocab.TRANSPORTATION).format(
                n=rng.randint(1, 99), m=rng.randint(100, 160)
            ),
            latitude=lat,
            longitude=lon,
        )
        self.add(
            "address",
            location_id=location_id,
            address_1=_street(rng),
            address_2=rng.choice(vocab.UNITS) if rng.random() < 0.25 else None,
            city=place.city,
            region=place.county,
            state_province=place.state,
            postal_code=place.zip,
            country="US",
            address_type="physical",
        )
        for description, details in rng.sample(vocab.ACCESSIBILITY, rng.choice((0, 1, 1, 2))):
            self.add(
                "accessibility",
                location_id=location_id,
                description=description,
                details=details or None,
            )
        return Site(location_id, place)

    def service(self, org: Org, kind: Kind, sites: list[Site]) -> str:
        rng, place = self.rng, sites[0].place
        eligibility = rng.choice(kind.eligibility)
        status = self.weighted(STATUSES)
        service_id = self.add(
            "service",
            organization_id=org.id,
            name=rng.choice(kind.names),
            description=kind.description.format(place=self.places.label(place, rng)),
            url=f"https://www.{org.slug}.example.org/{kind.key.replace('_', '-')}",
            email=f"{kind.key.replace('_', '')}@{org.slug}.example.org"
            if rng.random() < 0.4
            else None,
            status=status,
            interpretation_services=rng.choice(vocab.INTERPRETATION) or None,
            application_process=kind.application,
            fees_description=self._fees(kind.fees),
            eligibility_description=eligibility.text.format(
                county=place.county, zip=place.zip, city=place.city
            ),
            alert=rng.choice(CLOSED_ALERTS) if status == "temporarily closed" else None,
            **self._ages(eligibility.minimum_age, eligibility.maximum_age),
            **self._verification(),
        )
        self._service_details(service_id, org, kind, eligibility.residency, place)
        for site in sites:
            sal_id = self.add(
                "service_at_location", service_id=service_id, location_id=site.location_id
            )
            for values in schedule_rows(kind, rng, REFERENCE_DATE):
                self.add("schedule", service_id=service_id, service_at_location_id=sal_id, **values)
        return service_id

    def _service_details(
        self, service_id: str, org: Org, kind: Kind, residency: bool, place: Place
    ) -> None:
        self._phone(service_id, org, kind)
        self._languages(service_id, org.type.immigrant)
        self._area(service_id, residency, place)
        self._cost(service_id, kind.fees)
        for key in kind.documents:
            if self.rng.random() < 0.85:
                self.add("required_document", service_id=service_id, document=vocab.DOCUMENTS[key])
        for code in kind.terms:
            self.add(
                "attribute",
                link_id=service_id,
                link_entity="service",
                link_type="service_taxonomy",
                taxonomy_term_id=term_id(code),
            )
        if kind.capacity:
            self._capacity(service_id, kind.capacity)

    def _ages(self, minimum: int | None, maximum: int | None) -> dict[str, int | None]:
        """Structured ages on most services whose text states them, as real data has."""
        if self.rng.random() < 0.3:
            return {}
        return {"minimum_age": minimum, "maximum_age": maximum}

    def _verification(self) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.02:
            return {}
        assured = REFERENCE_DATE - timedelta(days=int(rng.triangular(0, 1095, 60)))
        modified = datetime.combine(
            assured, time(rng.randint(8, 17), rng.choice((0, 15, 30))), tzinfo=UTC
        )
        return {
            "assured_date": assured,
            "assurer_email": "curator@referral.example.org",
            "last_modified": modified,
        }

    def _fees(self, fee: str) -> str:
        if fee == "free":
            return self.rng.choice(("Free.", "No cost.", "Free of charge; donations welcome."))
        if fee == "sliding":
            return (
                "Sliding fee scale based on household size and income; no one is turned "
                "away for inability to pay."
            )
        _, amount, what = fee.split(":", 2)
        return f"${amount} {what}."

    def _cost(self, service_id: str, fee: str) -> None:
        if fee == "free":
            if self.rng.random() < 0.5:
                self.add(
                    "cost_option", service_id=service_id, option="Free", currency="USD", amount=0.0
                )
        elif fee == "sliding":
            low = self.rng.choice((10, 15, 20, 25))
            self.add(
                "cost_option",
                service_id=service_id,
                option="Sliding scale",
                currency="USD",
                amount=float(low),
                amount_description=f"${low} to ${low * 4} per visit depending on income",
            )
        else:
            _, amount, what = fee.split(":", 2)
            self.add(
                "cost_option",
                service_id=service_id,
                option="Fee",
                currency="USD",
                amount=float(amount),
                amount_description=what,
            )

    def _phone(self, service_id: str, org: Org, kind: Kind) -> None:
        if "24/7" in kind.hours:
            number = f"800-555-01{self.rng.randint(0, 99):02d}"
            self.add(
                "phone",
                service_id=service_id,
                number=number,
                type="voice",
                description="24-hour hotline",
            )
            self.add(
                "phone", service_id=service_id, number=number, type="text", description="Text line"
            )
            return
        self.add(
            "phone",
            service_id=service_id,
            number=org.phone,
            type="voice",
            extension=self.rng.randint(100, 499),
            description="Intake",
        )

    def _languages(self, service_id: str, immigrant: bool) -> None:
        rng = self.rng
        self.add("language", service_id=service_id, name="English", code="en")
        for name, code, usual, newcomer in vocab.LANGUAGES:
            if rng.random() < (newcomer if immigrant else usual):
                self.add(
                    "language",
                    service_id=service_id,
                    name=name,
                    code=code,
                    note=rng.choice(vocab.LANGUAGE_NOTES) or None,
                )

    def _area(self, service_id: str, residency: bool, place: Place) -> None:
        roll = self.rng.random()
        if residency or roll < 0.35:
            geojson = roll < 0.6
            self.add(
                "service_area",
                service_id=service_id,
                name=place.county,
                description=f"Residents of {place.county}",
                extent=self.places.county_extent(place) if geojson else None,
                extent_type="geojson" if geojson else None,
            )
        elif roll < 0.6:
            self.add(
                "service_area",
                service_id=service_id,
                name=f"{place.city} area",
                description=f"{place.city} and surrounding communities",
            )

    def _capacity(self, service_id: str, unit: str) -> None:
        rng = self.rng
        low, high = CAPACITY_RANGE[unit]
        maximum = rng.randint(low, high)
        available = 0 if rng.random() < 0.3 else rng.randint(1, max(1, maximum // 4))
        updated = datetime.combine(REFERENCE_DATE, time(6), tzinfo=UTC) - timedelta(
            hours=rng.randint(0, 72)
        )
        self.add(
            "service_capacity",
            service_id=service_id,
            unit_id=unit_id(unit),
            available=float(available),
            maximum=float(maximum),
            description=CAPACITY_TEXT[unit],
            updated=updated,
        )


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[0].isupper())


def _street(rng: random.Random) -> str:
    return (
        f"{rng.randint(100, 9899)} {rng.choice(vocab.DIRECTIONS)}"
        f"{rng.choice(vocab.STREET_NAMES)} {rng.choice(vocab.STREET_SUFFIXES)}"
    )


def _org_name(builder: Builder, org_type: OrgType, place: Place, metro: vocab.Metro) -> str:
    rng = builder.rng
    local = (
        rng.choice(vocab.LOCAL_NAMES)
        if metro is vocab.BALTIMORE
        else rng.choice((metro.name, place.county.replace(" County", ""), place.city))
    )
    return rng.choice(org_type.names).format(
        local=local,
        hope=rng.choice(vocab.HOPEFUL_WORDS),
        saint=rng.choice(vocab.SAINTS),
        place=builder.places.label(place, rng),
    )


def generate_sample() -> Rows:
    """The curated sample: Greater Baltimore, 124 organizations, at least 312 services."""
    builder = Builder("sample", SAMPLE_SEED, load_places((vocab.BALTIMORE,)))
    build_sample(builder, _org_name)
    return {**reference_rows(), **builder.take()}


def generate_synthetic(size: int, seed: int = 1, batch_size: int = 3000) -> Iterator[Rows]:
    """``size`` services in batches; the first batch also holds the taxonomy and units."""
    if size <= 0:
        raise ValueError("size must be a positive number of services")
    builder = Builder(f"synthetic-{seed}", seed, load_places(vocab.SYNTHETIC_METROS))
    first: Rows | None = reference_rows()
    org: Org | None = None
    weights = [org_type.weight for org_type in ORG_TYPES]
    for start in range(0, size, batch_size):
        for index in range(start, min(size, start + batch_size)):
            if index % 3 == 0 or org is None:
                org_type = builder.rng.choices(ORG_TYPES, weights)[0]
                metro, place = builder.places.pick(builder.rng)
                org = builder.organization(
                    org_type, place, metro, _org_name(builder, org_type, place, metro)
                )
            place = builder.places.near(org.metro, builder.rng)
            site = builder.location(org, place, builder.rng.choice(vocab.SITE_NAMES))
            kind = KINDS_BY_KEY[builder.rng.choice(org.type.kinds)]
            builder.service(org, kind, [site])
        batch = builder.take()
        yield {**first, **batch} if first else batch
        first = None
