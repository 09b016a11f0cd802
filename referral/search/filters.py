"""The facts each filter needs, and the filters themselves, as pure functions.

The Whoosh index stores one :class:`Facts` tuple per document and keeps them in memory
beside the open index, so filters never query the database per result. The database
fallback builds the same tuples from :class:`SearchDocument`, so both answer alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import NamedTuple

from referral.search import hours
from referral.search.documents import SearchDocument
from referral.search.query import SearchParams


class Facts(NamedTuple):
    sal_id: str
    latitude: float | None
    longitude: float | None
    status: str
    languages: tuple[str, ...]
    taxonomy_ids: tuple[str, ...]
    minimum_age: int | None
    maximum_age: int | None
    free: bool
    accessible: bool
    capacity: bool
    schedule: hours.WeeklyRules
    timezone: str
    organization_id: str
    service_area_ids: tuple[str, ...]
    sort_name: str
    # Last, with a default: facts pickled into an index built before it still load.
    assured_date: date | None = None


def facts_of(doc: SearchDocument) -> Facts:
    return Facts(
        doc.service_at_location_id,
        doc.latitude,
        doc.longitude,
        doc.status,
        tuple(doc.languages),
        tuple(doc.taxonomy_ids),
        doc.minimum_age,
        doc.maximum_age,
        doc.free,
        doc.accessible,
        doc.capacity_available,
        doc.schedule,
        doc.timezone,
        doc.organization_id,
        tuple(doc.service_area_ids),
        doc.service_name.lower(),
        doc.assured_date,
    )


def open_moment(params: SearchParams) -> datetime | None:
    if params.open_at is not None:
        return params.open_at
    return datetime.now(UTC) if params.open_now else None


Check = Callable[[Facts], bool]


def term_checks(params: SearchParams) -> list[Check]:
    """Filters the Whoosh index answers from its postings instead (taxonomy, language,
    organization, status); the database fallback applies them here."""
    checks: list[Check] = [lambda f: f.status in params.statuses]
    if params.taxonomy:
        wanted_terms = set(params.taxonomy)
        checks.append(lambda f: not wanted_terms.isdisjoint(f.taxonomy_ids))
    if params.languages:
        wanted_languages = set(params.languages)
        checks.append(lambda f: not wanted_languages.isdisjoint(f.languages))
    if params.organization:
        checks.append(lambda f: f.organization_id == params.organization)
    return checks


def fact_checks(params: SearchParams, covered_areas: set[str] | None) -> list[Check]:
    """Filters answered from the facts alone, cheapest first."""
    checks: list[Check] = []
    if params.free:
        checks.append(lambda f: f.free)
    if params.accessible:
        checks.append(lambda f: f.accessible)
    if params.capacity:
        checks.append(lambda f: f.capacity)
    if params.age is not None:
        age = params.age
        checks.append(
            lambda f: (
                (f.minimum_age is None or f.minimum_age <= age)
                and (f.maximum_age is None or age <= f.maximum_age)
            )
        )
    if covered_areas is not None:
        areas = covered_areas
        checks.append(lambda f: not areas.isdisjoint(f.service_area_ids))
    moment = open_moment(params)
    if moment is not None:
        checks.append(lambda f: hours.is_open(f.schedule, moment, f.timezone) is True)
    if params.verified_since is not None:
        since = params.verified_since  # never-verified listings are labelled, not hidden
        checks.append(lambda f: f.assured_date is None or f.assured_date >= since)
    return checks


def passes(facts: Facts, checks: Iterable[Check]) -> bool:
    return all(check(facts) for check in checks)


def facet_counts(facts: Iterable[Facts]) -> tuple[Counter[str], Counter[str]]:
    """(taxonomy term id -> count, language code -> count) over a result set."""
    taxonomy: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    for f in facts:
        taxonomy.update(f.taxonomy_ids)
        languages.update(f.languages)
    return taxonomy, languages
