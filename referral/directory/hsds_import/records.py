"""The canonical intermediate form every input format converts to.

A :class:`Package` holds HSDS 3.0 tabular rows: table name -> list of :class:`Record`,
each a flat mapping of HSDS 3.0 field names (foreign keys as ids) that remembers the
input file and row it came from, so every repair and rejection can point back at it.
Table metadata (columns, Python types, foreign keys) is read from the models, so the
importer follows the schema rather than repeating it.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from referral.db import Base
from referral.directory import models

# Insert order: every table after the tables its foreign keys point at.
TABLE_ORDER = (
    "taxonomy",
    "taxonomy_term",
    "organization",
    "organization_identifier",
    "program",
    "service",
    "location",
    "service_at_location",
    "address",
    "contact",
    "phone",
    "schedule",
    "service_area",
    "language",
    "accessibility",
    "funding",
    "cost_option",
    "required_document",
    "unit",
    "service_capacity",
    "attribute",
    "metadata",
    "meta_table_description",
)

# Derived columns: computed by the models, never imported.
DERIVED_COLUMNS = frozenset({"geom", "extent_geom"})

# Fixed namespace for ids made from non-UUID source ids (uuid5). Never change it:
# re-imports find their earlier rows through it.
ID_NAMESPACE = uuid.UUID("6f1d8a52-3c1e-5b7a-9f0e-2d4c8b1a7e90")


@dataclass
class Record:
    table: str
    values: dict[str, Any]
    source: str
    line: int
    original_id: str | None = None
    # False for rows the importer made (a taxonomy for a legacy vocabulary, an
    # organization_identifier keeping a source id): they are not input rows.
    counted: bool = True
    # A fragment of another record (a legacy eligibility text for a service): its
    # text fields are appended to the record with the same id instead of replacing it.
    append: bool = False
    # Foreign keys as the input wrote them, for reporting links that lead nowhere.
    raw_links: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str | None:
        value = self.values.get("id")
        return None if value is None else str(value)


@dataclass
class Package:
    records: dict[str, list[Record]] = field(default_factory=dict)
    # Input rows read per input file; the summary checks each is accounted for.
    read: Counter[str] = field(default_factory=Counter)

    def add(self, record: Record) -> Record:
        self.records.setdefault(record.table, []).append(record)
        if record.counted:
            self.read[record.source] += 1
        return record

    def count_read(self, source: str, rows: int = 1) -> None:
        """Input rows that become no record of their own (merged or rejected early)."""
        self.read[source] += rows

    def total(self) -> int:
        return sum(len(rows) for rows in self.records.values())


# Table name -> model class, for every HSDS table (Any: the mixin hides the table).
MODELS: dict[str, Any] = {
    mapper.persist_selectable.description: mapper.class_
    for mapper in Base.registry.mappers
    if issubclass(mapper.class_, models.HsdsRecord)
}


@cache
def columns(table: str) -> dict[str, type]:
    """Importable column -> Python type (str, int, float, date, datetime)."""
    found = {}
    for column in MODELS[table].__table__.columns:
        if column.name in DERIVED_COLUMNS:
            continue
        try:
            found[column.name] = column.type.python_type
        except NotImplementedError:
            found[column.name] = str
    return found


@cache
def required(table: str) -> frozenset[str]:
    table_columns = MODELS[table].__table__.columns
    return frozenset(c.name for c in table_columns if not c.nullable and c.name != "id")


@cache
def foreign_keys(table: str) -> dict[str, str]:
    """Column -> the table it points at."""
    links = {}
    for column in MODELS[table].__table__.columns:
        for fk in column.foreign_keys:
            links[column.name] = fk.column.table.name
    return links


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None


def canonical_id(table: str, original: object) -> str:
    """A UUID id for ``original``: itself when it is one, else uuid5 of table + id."""
    return _canonical_id(table, str(original).strip())


@lru_cache(maxsize=65536)
def _canonical_id(table: str, text: str) -> str:
    if is_uuid(text):
        return text
    return str(uuid.uuid5(ID_NAMESPACE, f"{table}:{text}"))
