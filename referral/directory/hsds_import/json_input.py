"""Reading HSDS 3.0 JSON: one object, a list or a page (``contents``) of objects, or
the tabular form (``{"services.csv": [rows]}``).

Nested objects are flattened into table rows, their links taken from where they are
nested (a phone inside a location gets that ``location_id``; a service's
``organization`` object sets the service's ``organization_id``). ``attributes`` and
``metadata`` arrays may appear on any object and point back at it. The same object
met twice (a location under a service and under its organization) becomes one row.
A row's "line" is the position of its top-level object in the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from referral.directory.hsds_import.errors import MalformedInput
from referral.directory.hsds_import.records import MODELS, Package, Record
from referral.directory.hsds_import.tabular import table_for

# parent table -> nested array key -> (child table, the child's column naming the parent)
CHILDREN: dict[str, dict[str, tuple[str, str]]] = {
    "organization": {
        "funding": ("funding", "organization_id"),
        "contacts": ("contact", "organization_id"),
        "phones": ("phone", "organization_id"),
        "locations": ("location", "organization_id"),
        "programs": ("program", "organization_id"),
        "organization_identifiers": ("organization_identifier", "organization_id"),
        "services": ("service", "organization_id"),
    },
    "service": {
        "phones": ("phone", "service_id"),
        "schedules": ("schedule", "service_id"),
        "service_areas": ("service_area", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"),
        "languages": ("language", "service_id"),
        "funding": ("funding", "service_id"),
        "cost_options": ("cost_option", "service_id"),
        "required_documents": ("required_document", "service_id"),
        "contacts": ("contact", "service_id"),
        "capacities": ("service_capacity", "service_id"),
    },
    "service_at_location": {
        "contacts": ("contact", "service_at_location_id"),
        "phones": ("phone", "service_at_location_id"),
        "schedules": ("schedule", "service_at_location_id"),
    },
    "location": {
        "languages": ("language", "location_id"),
        "addresses": ("address", "location_id"),
        "contacts": ("contact", "location_id"),
        "accessibility": ("accessibility", "location_id"),
        "phones": ("phone", "location_id"),
        "schedules": ("schedule", "location_id"),
    },
    "contact": {"phones": ("phone", "contact_id")},
    "phone": {"languages": ("language", "phone_id")},
}
# parent table -> nested object key -> (its table, the parent's column naming it)
REFERENCES: dict[str, dict[str, tuple[str, str]]] = {
    "service": {
        "organization": ("organization", "organization_id"),
        "program": ("program", "program_id"),
    },
    "service_at_location": {
        "location": ("location", "location_id"),
        "service": ("service", "service_id"),
    },
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id")},
    "service_capacity": {"unit": ("unit", "unit_id")},
}  # fmt: skip

# Keys that tell which object a top-level JSON object is, most specific first.
SIGNATURES: tuple[tuple[str, frozenset[str]], ...] = (
    ("service_at_location", frozenset({"location", "service"})),
    ("service", frozenset({"status", "service_at_locations", "service_areas", "program"})),
    ("location", frozenset({"location_type", "latitude", "longitude", "addresses"})),
    ("organization", frozenset({"website", "tax_status", "organization_identifiers", "programs", "locations", "year_incorporated", "legal_status"})),  # noqa: E501
    ("taxonomy_term", frozenset({"code", "taxonomy_detail", "term_uri", "parent_id", "taxonomy"})),
    ("taxonomy", frozenset({"version", "uri"})),
)  # fmt: skip


def read_json(path: Path, package: Package | None = None) -> Package:
    """Rows of one HSDS JSON file, added to ``package`` when given."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise MalformedInput(f"{path.name}: not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise MalformedInput(
            f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    package = Package() if package is None else package
    if isinstance(data, dict) and data and all(str(k).endswith(".csv") for k in data):
        _read_tabular_json(path.name, data, package)
        return package
    items = data.get("contents") if isinstance(data, dict) and "contents" in data else data
    items = items if isinstance(items, list) else [items]
    hint = table_for(path.stem.lower())
    for line, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise MalformedInput(f"{path.name}: item {line} is not a JSON object")
        Flattener(package, path.name, line).add(_kind(path.name, item, hint, line), item)
    return package


def _kind(name: str, item: dict[str, Any], hint: str | None, line: int) -> str:
    """Which object ``item`` is: from the file name, else from its keys."""
    keys = set(item)
    if hint is not None:
        return hint
    for table, signature in SIGNATURES:
        if "id" in keys and keys & signature:
            return table
    raise MalformedInput(
        f"{name}: item {line} is not an HSDS record (HSDS objects have an id and the fields "
        f"of a service, organization, location, service_at_location or taxonomy term; "
        f"found keys: {', '.join(sorted(keys)) or 'none'})"
    )


def _read_tabular_json(name: str, data: dict[str, Any], package: Package) -> None:
    for file_name, rows in data.items():
        table = table_for(file_name[: -len(".csv")].lower())
        if table is None or not isinstance(rows, list):
            raise MalformedInput(f"{name}: {file_name!r} is not an HSDS 3.0 table of rows")
        for line, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise MalformedInput(f"{name}: {file_name} row {line} is not a JSON object")
            values = {k: v for k, v in row.items() if v is not None}
            package.add(Record(table, values, f"{name}:{file_name}", line, row.get("id")))


class Flattener:
    def __init__(self, package: Package, source: str, line: int) -> None:
        self.package, self.source, self.line = package, source, line

    def add(self, table: str, item: dict[str, Any], links: dict[str, Any] | None = None) -> str:
        """Add ``item`` and everything nested in it; returns its id."""
        known = MODELS[table].__table__.columns.keys()
        values = {k: v for k, v in item.items() if k in known and not isinstance(v, dict | list)}
        for column, value in (links or {}).items():
            if values.get(column) in (None, ""):
                values[column] = value
        if not values.get("id"):
            values["id"] = (
                f"{self.source}/{self.line}/{table}/{len(self.package.records.get(table, []))}"
            )
        for key, (ref_table, column) in REFERENCES.get(table, {}).items():
            if isinstance(item.get(key), dict):
                referenced = self.add(ref_table, item[key])
                if values.get(column) in (None, ""):
                    values[column] = referenced
        record = self.package.add(Record(table, values, self.source, self.line, item.get("id")))
        self._children(table, item, record.values["id"])
        return str(record.values["id"])

    def _children(self, table: str, item: dict[str, Any], own_id: str) -> None:
        for key, (child_table, column) in CHILDREN.get(table, {}).items():
            for child in _objects(self.source, item.get(key), key):
                self.add(child_table, child, {column: own_id})
        for attribute in _objects(self.source, item.get("attributes"), "attributes"):
            self.add("attribute", attribute, {"link_id": own_id, "link_entity": table})
        for metadata in _objects(self.source, item.get("metadata"), "metadata"):
            self.add("metadata", metadata, {"resource_id": own_id, "resource_type": table})


def _objects(source: str, value: Any, key: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise MalformedInput(f"{source}: {key!r} must be a list of objects")
    return value
