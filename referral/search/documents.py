"""Search documents: one per service-at-location, built from the database in batches.

A document carries the text Whoosh indexes (names, descriptions, taxonomy terms with
their ancestors, eligibility, languages, place) and the facts filters need (point,
status, languages, taxonomy ids, ages, cost, accessibility, capacity, hours, time
zone). Each batch costs a fixed number of plain-row queries (``records``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.directory import geo
from referral.directory import models as dm
from referral.search import hours, records

BATCH_SIZE = 500
# ISO 639-2/3 codes and English names seen in directory data, mapped to ISO 639-1.
LANGUAGE_ALIASES = {
    "eng": "en",
    "english": "en",
    "spa": "es",
    "spanish": "es",
    "espanol": "es",
    "fra": "fr",
    "fre": "fr",
    "french": "fr",
    "hat": "ht",
    "haitian creole": "ht",
    "creole": "ht",
    "por": "pt",
    "portuguese": "pt",
    "zho": "zh",
    "chi": "zh",
    "chinese": "zh",
    "mandarin": "zh",
    "cantonese": "zh",
    "vie": "vi",
    "vietnamese": "vi",
    "kor": "ko",
    "korean": "ko",
    "rus": "ru",
    "russian": "ru",
    "ara": "ar",
    "arabic": "ar",
    "tgl": "tl",
    "tagalog": "tl",
    "ger": "de",
    "deu": "de",
    "german": "de",
    "ita": "it",
    "italian": "it",
    "pol": "pl",
    "polish": "pl",
    "asl": "sgn",
    "american sign language": "sgn",
    "sign language": "sgn",
}
# A service's text in other languages that is indexed beside its own (as the English
# fields are: fees and how to apply are not searched in any language).
TRANSLATED_FIELDS = ("name", "description", "eligibility_description")
_FREE = re.compile(r"\b(free|no (cost|charge|fee)s?|without charge)\b", re.IGNORECASE)


@dataclass
class SearchDocument:
    service_at_location_id: str
    service_id: str
    location_id: str
    organization_id: str
    service_name: str
    organization_name: str
    status: str
    alternate_names: str = ""
    description: str = ""
    taxonomy: str = ""
    keywords: str = ""
    eligibility: str = ""
    language_text: str = ""
    place: str = ""
    latitude: float | None = None
    longitude: float | None = None
    languages: list[str] = field(default_factory=list)
    taxonomy_ids: list[str] = field(default_factory=list)
    taxonomy_names: list[str] = field(default_factory=list)
    service_area_ids: list[str] = field(default_factory=list)
    minimum_age: int | None = None
    maximum_age: int | None = None
    free: bool = False
    accessible: bool = False
    capacity_available: bool = False
    schedule: hours.WeeklyRules = ()
    timezone: str = hours.DEFAULT_TIMEZONE
    address: str = ""
    postal_code: str = ""
    phone: str = ""
    assured_date: date | None = None


@dataclass(frozen=True)
class TaxonomyTree:
    """Every term's name and parent, so a document can carry each term's ancestors."""

    names: dict[str, str]
    parents: dict[str, str | None]
    # Term id -> its names in other languages (indexed, never shown): "despensa" finds
    # the food pantries on a Spanish page.
    translations: dict[str, list[str]] = field(default_factory=dict)

    def all_names(self, term_id: str) -> list[str]:
        return [self.names[term_id], *self.translations.get(term_id, [])]

    def lineage(self, term_id: str) -> list[str]:
        chain: list[str] = []
        while term_id in self.names and term_id not in chain:
            chain.append(term_id)
            term_id = self.parents.get(term_id) or ""
        return chain

    def descendants(self, term_id: str) -> set[str]:
        return {t for t in self.names if term_id in self.lineage(t)}


def taxonomy_tree(session: Session) -> TaxonomyTree:
    rows = session.execute(
        select(dm.TaxonomyTerm.id, dm.TaxonomyTerm.name, dm.TaxonomyTerm.parent_id)
    )
    names: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    for term_id, name, parent_id in rows:
        names[term_id] = name
        parents[term_id] = parent_id
    translations: dict[str, list[str]] = {}
    other = select(dm.TaxonomyTermTranslation.taxonomy_term_id, dm.TaxonomyTermTranslation.name)
    for term_id, name in session.execute(other.order_by(dm.TaxonomyTermTranslation.language)):
        translations.setdefault(term_id, []).append(name)
    return TaxonomyTree(names, parents, translations)


def iter_documents(
    session: Session, tree: TaxonomyTree | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[SearchDocument]:
    """Every service-at-location's document, in id order, a batch at a time."""
    tree = tree or taxonomy_tree(session)
    last = ""
    while True:
        ids = list(
            session.scalars(
                select(dm.ServiceAtLocation.id)
                .where(dm.ServiceAtLocation.id > last)
                .order_by(dm.ServiceAtLocation.id)
                .limit(batch_size)
            )
        )
        if not ids:
            return
        yield from documents_for(session, ids, tree)
        last = ids[-1]


def documents_for(
    session: Session, sal_ids: Sequence[str], tree: TaxonomyTree | None = None
) -> list[SearchDocument]:
    """Documents of the given service-at-locations that exist (with a service and location)."""
    tree = tree or taxonomy_tree(session)
    docs: list[SearchDocument] = []
    for start in range(0, len(sal_ids), BATCH_SIZE):
        # plain rows, not ORM objects: several times cheaper, and always what the
        # database holds now (the caller's session may hold stale relationships)
        sals = records.service_at_locations(session, sal_ids[start : start + BATCH_SIZE])
        attributes = _attributes(session, sals)
        translated = _translations(session, {s.service_id for s in sals})
        docs.extend(build_document(s, attributes, tree, translated) for s in sals)
    return docs


def _translations(session: Session, service_ids: set[str]) -> dict[str, dict[str, list[str]]]:
    """Service id -> field -> the field's text in the other languages (indexed, so a
    Spanish query finds the service by its Spanish description)."""
    found: dict[str, dict[str, list[str]]] = {}
    row = dm.ServiceTranslation
    query = (
        select(row.service_id, row.field, row.text)
        .where(row.service_id.in_(sorted(service_ids)), row.field.in_(TRANSLATED_FIELDS))
        .order_by(row.language)
    )
    for service_id, field_name, text in session.execute(query):
        found.setdefault(service_id, {}).setdefault(field_name, []).append(text)
    return found


def _attributes(session: Session, sals: Iterable[Any]) -> dict[str, list[str]]:
    """link id -> taxonomy term ids of its attributes (services, locations, sals, orgs)."""
    links: set[str] = set()
    for sal in sals:
        links.update({sal.id, sal.service_id or "", sal.location_id or ""})
        links.add(sal.service.organization_id or "" if sal.service else "")
    links.discard("")
    found: dict[str, list[str]] = {}
    for start in range(0, len(links), 2000):
        chunk = sorted(links)[start : start + 2000]
        rows = session.execute(
            select(dm.Attribute.link_id, dm.Attribute.taxonomy_term_id, dm.Attribute.value).where(
                dm.Attribute.link_id.in_(chunk)
            )
        )
        for link_id, term_id, value in rows:
            if link_id:
                found.setdefault(link_id, []).append(term_id or f"value:{value or ''}")
    return found


def _join(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def build_document(
    sal: Any,
    attributes: dict[str, list[str]],
    tree: TaxonomyTree,
    translated: dict[str, dict[str, list[str]]] | None = None,
) -> SearchDocument:
    service, location = sal.service, sal.location
    assert service is not None and location is not None
    other = (translated or {}).get(service.id, {})
    org = service.organization
    links = (sal.id, service.id, location.id, service.organization_id or "")
    raw = [t for link in links for t in attributes.get(link, [])]
    term_ids = list(dict.fromkeys(t for tid in raw for t in tree.lineage(tid)))
    values = [t.removeprefix("value:") for t in raw if t.startswith("value:")]
    address = location.addresses[0] if location.addresses else None
    doc = SearchDocument(
        service_at_location_id=sal.id,
        service_id=service.id,
        location_id=location.id,
        organization_id=service.organization_id or "",
        service_name=service.name,
        organization_name=org.name if org else "",
        status=service.status,
        alternate_names=_join(
            service.alternate_name, org.alternate_name if org else None, *other.get("name", [])
        ),
        description=_join(
            service.description,
            sal.description,
            location.description,
            *other.get("description", []),
        ),
        taxonomy=_join(*(name for t in term_ids for name in tree.all_names(t))),
        keywords=_join(*values, location.name, location.alternate_name),
        eligibility=_join(
            service.eligibility_description, *other.get("eligibility_description", [])
        ),
        taxonomy_ids=term_ids,
        taxonomy_names=[tree.names[t] for t in raw if t in tree.names],
        service_area_ids=[a.id for a in service.service_areas],
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        assured_date=service.assured_date,
    )
    _add_place(doc, location, address)
    _add_languages(doc, service, location)
    _add_flags(doc, service, location)
    doc.schedule = hours.compile_rules(sal.schedules or service.schedules or location.schedules)
    phones = sal.phones or service.phones or location.phones
    doc.phone = phones[0].number if phones else ""
    return doc


def _add_place(doc: SearchDocument, location: Any, address: Any) -> None:
    if geo.valid_coordinates(location.latitude, location.longitude):
        doc.latitude, doc.longitude = location.latitude, location.longitude
    if address is None:
        return
    doc.postal_code = (address.postal_code or "").strip()[:5]
    doc.place = _join(address.city, address.region, address.state_province, doc.postal_code)
    doc.address = ", ".join(
        p.strip()
        for p in (address.address_1, address.city, address.state_province, address.postal_code)
        if p and p.strip()
    )
    doc.timezone = hours.timezone_for_postcode(doc.postal_code)


def language_code(code: str | None, name: str | None = None) -> str:
    """An ISO 639-1 code where one is known, else the code as given (lower case)."""
    for raw in (code, name):
        text = (raw or "").strip().lower()
        if text:
            return LANGUAGE_ALIASES.get(text, text if len(text) <= 3 else "")
    return ""


def _add_languages(doc: SearchDocument, service: Any, location: Any) -> None:
    languages = [*service.languages, *location.languages]
    codes = [language_code(lang.code, lang.name) for lang in languages]
    doc.languages = sorted({c for c in codes if c})
    doc.language_text = _join(*(lang.name for lang in languages))


def _add_flags(doc: SearchDocument, service: Any, location: Any) -> None:
    fee_text = _join(service.fees, service.fees_description)
    costs = service.cost_options
    doc.free = bool(_FREE.search(fee_text)) or any(
        c.amount == 0 or _FREE.search(_join(c.option, c.amount_description)) for c in costs
    )
    doc.accessible = bool(location.accessibility)
    doc.capacity_available = any(c.available > 0 for c in service.capacities)


def display_of(doc: SearchDocument) -> dict[str, Any]:
    """What a result shows, kept with the document so a page needs no database query."""
    return {
        "service_id": doc.service_id,
        "location_id": doc.location_id,
        "organization_id": doc.organization_id,
        "service_name": doc.service_name,
        "organization_name": doc.organization_name,
        "address": doc.address,
        "phone": doc.phone,
        "assured_date": doc.assured_date.isoformat() if doc.assured_date else None,
        "taxonomy_names": doc.taxonomy_names,
        "latitude": doc.latitude,
        "longitude": doc.longitude,
    }
