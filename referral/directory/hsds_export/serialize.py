"""HSDS 3.0 JSON for directory records: the nested forms of the compiled schemas.

Every serializer takes an ORM object whose relationships are loaded (``loading`` has
the eager-load options that make this a handful of queries), or a ``graph.Node`` with
the same attribute names (what the bulk export uses), and returns plain dicts in HSDS
key order. Optional fields that are null or empty are left out; nested
arrays are always present.

Attributes and metadata are polymorphic (``attribute.link_id``,
``metadata.resource_id``, no foreign key), so they cannot be eager-loaded as
relationships. Serializers ask a :class:`Links` for an empty list per record;
``Links.resolve`` then fills every list with a few bulk ``IN`` queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.orm import Session, object_session

from referral.directory import models
from referral.directory.hsds_export import graph
from referral.directory.hsds_export.tables import BY_NAME, record

Json = dict[str, Any]


class Links:
    """Lists handed out per record id, filled with that record's attributes and metadata.

    One Links serves a whole batch, so a batch costs a few queries however many
    records it nests; serialized taxonomy terms are shared within it.
    """

    def __init__(self) -> None:
        self._attributes: dict[str, list[list[Json]]] = defaultdict(list)
        self._metadata: dict[str, list[list[Json]]] = defaultdict(list)
        self._terms: dict[str, Json] = {}
        self._taxonomies: dict[str, Json] = {}

    def attributes(self, record_id: str) -> list[Json]:
        slot: list[Json] = []
        self._attributes[record_id].append(slot)
        return slot

    def metadata(self, record_id: str) -> list[Json]:
        slot: list[Json] = []
        self._metadata[record_id].append(slot)
        return slot

    def resolve(self, session: Session) -> None:
        """Fill every list handed out; attributes bring metadata requests of their own."""
        while self._attributes or self._metadata:
            attributes, self._attributes = self._attributes, defaultdict(list)
            metadata, self._metadata = self._metadata, defaultdict(list)
            found = graph.fetch(session, "attribute", "link_id", attributes)
            graph.attach(session, found, graph.REFERENCES["attribute"][0])
            for attribute in found:
                item = serialize_attribute(attribute, self)
                for slot in attributes[attribute.link_id]:
                    slot.append(item)
            for row in graph.fetch(session, "metadata", "resource_id", metadata):
                item = record(BY_NAME["metadata"], row)
                for slot in metadata[row.resource_id]:
                    slot.append(item)

    def term(self, term: models.TaxonomyTerm) -> Json:
        if term.id not in self._terms:
            self._terms[term.id] = serialize_taxonomy_term(term, self)
        return self._terms[term.id]

    def taxonomy(self, taxonomy: models.Taxonomy) -> Json:
        if taxonomy.id not in self._taxonomies:
            self._taxonomies[taxonomy.id] = serialize_taxonomy(taxonomy, self)
        return self._taxonomies[taxonomy.id]


def _resolved(serializer: Callable[[Any, Links], Json], obj: Any, links: Links | None) -> Json:
    """Serialize one object; without a caller's Links, resolve its links at once."""
    if links is not None:
        return serializer(obj, links)
    links = Links()
    out = serializer(obj, links)
    session = object_session(obj)
    if session is None:
        raise ValueError(f"{obj!r} is not attached to a session; cannot load its attributes")
    links.resolve(session)
    return out


def _base(table: str, obj: Any, links: Links, **nested: Any) -> Json:
    out = record(BY_NAME[table], obj)
    out.update(nested)
    out["attributes"] = links.attributes(obj.id)
    out["metadata"] = links.metadata(obj.id)
    return out


def _each(
    serializer: Callable[[Any, Links], Json], items: Iterable[Any], links: Links
) -> list[Json]:
    """Sorted by id here too: collections built in memory are in append order."""
    return [serializer(item, links) for item in sorted(items, key=_id)]


def _id(obj: Any) -> str:
    return str(obj.id)


def _simple(table: str) -> Callable[[Any, Links], Json]:
    def serialize(obj: Any, links: Links) -> Json:
        return _base(table, obj, links)

    return serialize


_schedule = _simple("schedule")
_service_area = _simple("service_area")
_address = _simple("address")
_accessibility = _simple("accessibility")
_funding = _simple("funding")
_cost_option = _simple("cost_option")
_required_document = _simple("required_document")
_program = _simple("program")
_organization_identifier = _simple("organization_identifier")
_language = _simple("language")


def _phone(phone: models.Phone, links: Links) -> Json:
    return _base("phone", phone, links, languages=_each(_language, phone.languages, links))


def _contact(contact: models.Contact, links: Links) -> Json:
    return _base("contact", contact, links, phones=_each(_phone, contact.phones, links))


def _location(location: models.Location, links: Links) -> Json:
    return _base(
        "location",
        location,
        links,
        languages=_each(_language, location.languages, links),
        addresses=_each(_address, location.addresses, links),
        contacts=_each(_contact, location.contacts, links),
        accessibility=_each(_accessibility, location.accessibility, links),
        phones=_each(_phone, location.phones, links),
        schedules=_each(_schedule, location.schedules, links),
    )


def _capacity(capacity: models.ServiceCapacity, links: Links) -> Json:
    """HSDS 3.1 ``service_capacity`` with its ``unit`` (not part of the 3.0 schemas)."""
    out = record(BY_NAME["service_capacity"], capacity)
    out["unit"] = record(BY_NAME["unit"], capacity.unit)
    return out


def _sal(sal: models.ServiceAtLocation, links: Links, *, service: bool) -> Json:
    nested: Json = {
        "contacts": _each(_contact, sal.contacts, links),
        "phones": _each(_phone, sal.phones, links),
        "schedules": _each(_schedule, sal.schedules, links),
    }
    if sal.location is not None:
        nested["location"] = _location(sal.location, links)
    out = _base("service_at_location", sal, links, **nested)
    if service and sal.service is not None:
        out["service"] = _service(sal.service, links, locations=False)
    return out


def _service(service: models.Service, links: Links, *, locations: bool = True) -> Json:
    nested: Json = {
        "phones": _each(_phone, service.phones, links),
        "schedules": _each(_schedule, service.schedules, links),
        "service_areas": _each(_service_area, service.service_areas, links),
    }
    if locations:
        nested["service_at_locations"] = [
            _sal(sal, links, service=False) for sal in sorted(service.service_at_locations, key=_id)
        ]
    nested["languages"] = _each(_language, service.languages, links)
    if service.organization is not None:
        nested["organization"] = record(BY_NAME["organization"], service.organization)
    nested["funding"] = _each(_funding, service.funding, links)
    nested["cost_options"] = _each(_cost_option, service.cost_options, links)
    if service.program is not None:
        nested["program"] = _program(service.program, links)
    nested["required_documents"] = _each(_required_document, service.required_documents, links)
    nested["contacts"] = _each(_contact, service.contacts, links)
    nested["capacities"] = _each(_capacity, service.capacities, links)
    return _base("service", service, links, **nested)


def _organization(org: models.Organization, links: Links, *, services: bool) -> Json:
    nested: Json = {
        "funding": _each(_funding, org.funding, links),
        "contacts": _each(_contact, org.contacts, links),
        "phones": _each(_phone, org.phones, links),
        "locations": _each(_location, org.locations, links),
        "programs": _each(_program, org.programs, links),
        "organization_identifiers": _each(
            _organization_identifier, org.organization_identifiers, links
        ),
    }
    out = _base("organization", org, links, **nested)
    if services:
        out["services"] = [_service_summary(service) for service in sorted(org.services, key=_id)]
    return out


def _service_summary(service: models.Service) -> Json:
    """What the HSDS API puts in ``organization.services``: the one-to-one fields."""
    return record(BY_NAME["service"], service)


def serialize_attribute(attribute: models.Attribute | graph.Node, links: Links) -> Json:
    out = record(BY_NAME["attribute"], attribute)
    if attribute.taxonomy_term is not None:
        out["taxonomy_term"] = links.term(attribute.taxonomy_term)
    out["metadata"] = links.metadata(attribute.id)
    return out


def serialize_taxonomy_term(term: models.TaxonomyTerm, links: Links | None = None) -> Json:
    def serialize(term: models.TaxonomyTerm, links: Links) -> Json:
        out = record(BY_NAME["taxonomy_term"], term)
        if term.taxonomy_detail is not None:
            out["taxonomy_detail"] = links.taxonomy(term.taxonomy_detail)
        out["metadata"] = links.metadata(term.id)
        return out

    return _resolved(serialize, term, links)


def serialize_taxonomy(taxonomy: models.Taxonomy, links: Links | None = None) -> Json:
    def serialize(taxonomy: models.Taxonomy, links: Links) -> Json:
        out = record(BY_NAME["taxonomy"], taxonomy)
        out["metadata"] = links.metadata(taxonomy.id)
        return out

    return _resolved(serialize, taxonomy, links)


def serialize_service(service: models.Service, links: Links | None = None) -> Json:
    """The fully nested service of compiled/service.json (plus HSDS 3.1 capacities)."""
    return _resolved(_service, service, links)


def serialize_service_at_location(
    sal: models.ServiceAtLocation, links: Links | None = None
) -> Json:
    """compiled/service_at_location.json: with its location and its service."""
    return _resolved(lambda obj, lk: _sal(obj, lk, service=True), sal, links)


def serialize_organization(
    org: models.Organization, links: Links | None = None, *, services: bool = False
) -> Json:
    """compiled/organization.json; ``services=True`` adds the one-to-one service fields."""
    return _resolved(lambda obj, lk: _organization(obj, lk, services=services), org, links)


__all__ = [
    "Links",
    "serialize_attribute",
    "serialize_organization",
    "serialize_service",
    "serialize_service_at_location",
    "serialize_taxonomy",
    "serialize_taxonomy_term",
]
