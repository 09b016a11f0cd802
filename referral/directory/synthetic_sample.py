"""The curated Greater Baltimore sample: which organizations, where, with what services.

Unlike the benchmark directory, organizations here look like a real region's: most
have one site, some have two or three, and some services run at every site.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from referral.directory import synthetic_vocab as vocab
from referral.directory.synthetic_kinds import KINDS_BY_KEY, ORG_TYPES, OrgType
from referral.directory.synthetic_places import Place

if TYPE_CHECKING:
    from referral.directory.synthetic import Builder, Org, Site

SAMPLE_MIN_SERVICES = 312
# Where organizations are based: the city has most of the region's providers.
COUNTY_WEIGHTS = (
    ("Baltimore City", 45),
    ("Baltimore County", 25),
    ("Anne Arundel County", 14),
    ("Howard County", 8),
    ("Harford County", 8),
)
SERVICES_PER_ORGANIZATION = (1, 2, 2, 3, 3, 3, 4, 5)
SITES_PER_ORGANIZATION = ((1, 70), (2, 20), (3, 10))
# Share of multi-site organizations' services offered at every site.
EVERY_SITE_SHARE = 0.3

NameMaker = Callable[["Builder", OrgType, Place, vocab.Metro], str]


def organization_types() -> list[OrgType]:
    """Each type as many times as its weight: 124 organizations in all."""
    return [org_type for org_type in ORG_TYPES for _ in range(org_type.weight)]


def service_counts(rng: random.Random, org_types: list[OrgType]) -> list[int]:
    counts = [min(len(t.kinds), rng.choice(SERVICES_PER_ORGANIZATION)) for t in org_types]
    while sum(counts) < SAMPLE_MIN_SERVICES:
        index = rng.randrange(len(counts))
        if counts[index] < len(org_types[index].kinds):
            counts[index] += 1
    return counts


def build_sample(builder: Builder, org_name: NameMaker) -> None:
    rng, metro = builder.rng, vocab.BALTIMORE
    by_county = {county: builder.places.in_county(county) for county in metro.counties}
    org_types = organization_types()
    taken: set[str] = set()
    for org_type, count in zip(org_types, service_counts(rng, org_types), strict=True):
        county = builder.weighted(COUNTY_WEIGHTS)
        home = rng.choice(by_county[county])
        name = _unique(partial(org_name, builder, org_type, home, metro), taken)
        org = builder.organization(org_type, home, metro, name)
        sites = _sites(builder, org, by_county[county])
        for kind_key in rng.sample(org_type.kinds, count):
            every = len(sites) > 1 and rng.random() < EVERY_SITE_SHARE
            builder.service(org, KINDS_BY_KEY[kind_key], sites if every else [rng.choice(sites)])


def _unique(make: Callable[[], str], taken: set[str]) -> str:
    for _ in range(20):
        name = make()
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("ran out of distinct organization names")  # vocabularies too small


def _sites(builder: Builder, org: Org, county_places: list[Place]) -> list[Site]:
    rng = builder.rng
    count = int(builder.weighted(tuple((str(n), w) for n, w in SITES_PER_ORGANIZATION)))
    sites = [builder.location(org, org.place, "Main Office")]
    for site_name in rng.sample(vocab.SITE_NAMES[1:], count - 1):
        place = rng.choice(county_places)
        label = builder.places.label(place, rng)
        sites.append(builder.location(org, place, f"{label} {site_name}"))
    return sites
