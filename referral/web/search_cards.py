"""What a search result card shows, built from the database for one page of hits.

The index says which service-at-locations match and how far away they are; the card's
facts (names, address, phone, languages, last verified, open now) are read fresh from
the database, so a card never shows data the index has not caught up with. One page
costs a fixed number of queries (``selectinload`` per relationship).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from referral.directory import listing
from referral.directory.listing import AddressView, PhoneView
from referral.directory.models import (
    Location,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from referral.search import hours

KM_PER_MILE = 1.609344
# A select box stays usable, and the page light on a phone, up to about this many options.
MAX_TERM_CHOICES = 150
# Names for the ISO 639-1 codes the index stores, in the reader's language; others
# show as the code.
LANGUAGE_NAMES = {
    "en": _l("English"), "es": _l("Spanish"), "fr": _l("French"), "ht": _l("Haitian Creole"),
    "pt": _l("Portuguese"), "zh": _l("Chinese"), "vi": _l("Vietnamese"), "ko": _l("Korean"),
    "ru": _l("Russian"), "ar": _l("Arabic"), "tl": _l("Tagalog"), "de": _l("German"),
    "it": _l("Italian"), "pl": _l("Polish"), "sgn": _l("Sign language"), "ja": _l("Japanese"),
    "hi": _l("Hindi"), "fa": _l("Persian"), "so": _l("Somali"), "uk": _l("Ukrainian"),
}  # fmt: skip


@dataclass(frozen=True)
class ResultCard:
    sal_id: str
    service_id: str
    service_name: str
    status: str
    organization_id: str | None
    organization_name: str | None
    location_name: str | None
    address: AddressView | None
    phone: PhoneView | None
    distance_km: float | None
    open_now: bool | None  # None: no hours listed
    languages: tuple[str, ...]
    assured_date: date | None
    stale: bool

    @property
    def distance_miles(self) -> float | None:
        return None if self.distance_km is None else self.distance_km / KM_PER_MILE


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code.upper() if len(code) <= 3 else code))


def language_choices() -> list[tuple[str, str]]:
    """(code, name) for the language select, by name in the reader's language."""
    names = [(code, str(name)) for code, name in LANGUAGE_NAMES.items()]
    return sorted(names, key=lambda item: _folded(item[1]))


def _folded(text: str) -> str:
    """'Árabe' sorts with the A's."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def cards(
    session: Session,
    sal_ids: Sequence[str],
    distances: Mapping[str, float | None],
    now: datetime,
) -> list[ResultCard]:
    """Cards in the order of ``sal_ids``; ids whose record has gone are skipped."""
    query = select(ServiceAtLocation).where(ServiceAtLocation.id.in_(sal_ids)).options(*_loads())
    found = {sal.id: sal for sal in session.scalars(query)}
    return [
        card(found[sal_id], distances.get(sal_id), now)
        for sal_id in sal_ids
        if sal_id in found and found[sal_id].service is not None
    ]


def _loads() -> tuple[Any, ...]:
    service = selectinload(ServiceAtLocation.service)
    location = selectinload(ServiceAtLocation.location)
    return (
        selectinload(ServiceAtLocation.phones),
        selectinload(ServiceAtLocation.schedules),
        service.selectinload(Service.organization),
        service.selectinload(Service.phones),
        service.selectinload(Service.schedules),
        service.selectinload(Service.languages),
        location.selectinload(Location.addresses),
        location.selectinload(Location.phones),
        location.selectinload(Location.schedules),
        location.selectinload(Location.languages),
    )


def card(sal: ServiceAtLocation, distance_km: float | None, now: datetime) -> ResultCard:
    service, location = sal.service, sal.location
    assert service is not None
    address = listing.best_address(location.addresses) if location else None
    phones = [*sal.phones, *service.phones, *(location.phones if location else ())]
    return ResultCard(
        sal_id=sal.id,
        service_id=service.id,
        service_name=service.name,
        status=service.status,
        organization_id=service.organization_id,
        organization_name=service.organization.name if service.organization else None,
        location_name=location.name if location else None,
        address=listing.address_view(address) if address else None,
        phone=listing.phone_view(phones[0]) if phones else None,
        distance_km=distance_km,
        open_now=_open_now(sal, address.postal_code if address else "", now),
        languages=_languages(service, location),
        assured_date=service.assured_date,
        stale=listing.is_stale(service.assured_date, now.date()),
    )


def _open_now(sal: ServiceAtLocation, postal_code: str, now: datetime) -> bool | None:
    """The same precedence as the index: the place's own hours, else the service's."""
    service, location = sal.service, sal.location
    schedules = (
        sal.schedules
        or (service.schedules if service else [])
        or (location.schedules if location else [])
    )
    timezone = hours.timezone_for_postcode((postal_code or "").strip())
    return hours.is_open(hours.compile_rules(schedules), now, timezone)


def _languages(service: Service, location: Location | None) -> tuple[str, ...]:
    rows = [*service.languages, *(location.languages if location else ())]
    names = (row.name or language_name((row.code or "").lower()) for row in rows)
    return tuple(dict.fromkeys(name.strip() for name in names if name and name.strip()))


def taxonomy_facets(session: Session, counts: Mapping[str, int], limit: int = 12) -> list[Facet]:
    """The most common terms among the results, with their names, busiest first."""
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[: limit * 2]
    names = term_names(session, [term_id for term_id, _ in top])
    facets = [Facet(tid, names[tid], count) for tid, count in top if tid in names]
    return facets[:limit]


def language_facets(counts: Mapping[str, int]) -> list[Facet]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Facet(code, language_name(code), count) for code, count in ordered if code]


def term_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(TaxonomyTerm.id, TaxonomyTerm.name).where(TaxonomyTerm.id.in_(wanted))
    )
    return {row.id: row.name for row in rows}


def term_choices(session: Session, also: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(id, name) for the category select, by name: every term of a small taxonomy;
    of a large one the top-level terms plus ``also`` (the chosen term and the result
    facets), since any term can still be reached through the facet links."""
    total = session.scalar(select(func.count()).select_from(TaxonomyTerm)) or 0
    query = select(TaxonomyTerm.id, TaxonomyTerm.name)
    if total > MAX_TERM_CHOICES:
        query = query.where(TaxonomyTerm.parent_id.is_(None))
    rows = {row.id: row.name for row in session.execute(query.limit(MAX_TERM_CHOICES))}
    rows.update(term_names(session, [tid for tid in also if tid and tid not in rows]))
    return sorted(rows.items(), key=lambda item: (item[1].lower(), item[0]))
