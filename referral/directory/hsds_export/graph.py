"""Loading whole directories for export with Core queries, without the ORM.

Building ORM objects (identity map, instrumentation, collections) costs more than
everything else in an export of thousands of services. Exports only read, so this
loader fetches plain rows, one ``IN`` query per relationship per batch, and links
them into :class:`Node` objects that carry the same attribute names as the ORM
relationships (``service.phones``, ``phone.languages``, ``service_at_location.location``).
The serializers accept either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from typing import Any, NamedTuple

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from referral.directory.hsds_export.tables import BY_NAME

# Bound parameters per IN list: below SQLite's historical limit of 999.
CHUNK = 900


class Node(SimpleNamespace):
    """One row with its related rows attached under the ORM relationship names."""

    id: str


class Relation(NamedTuple):
    name: str
    table: str
    column: str
    expand: bool = True


def _children(column: str, *pairs: str) -> tuple[Relation, ...]:
    return tuple(Relation(pairs[i], pairs[i + 1], column) for i in range(0, len(pairs), 2))


# One-to-many: parent table -> (relationship, child table, child column naming the parent).
CHILDREN: dict[str, tuple[Relation, ...]] = {
    "service": _children(
        "service_id",
        "phones", "phone", "schedules", "schedule", "service_areas", "service_area",
        "service_at_locations", "service_at_location", "languages", "language",
        "funding", "funding", "cost_options", "cost_option",
        "required_documents", "required_document", "contacts", "contact",
        "capacities", "service_capacity",
    ),
    "service_at_location": _children(
        "service_at_location_id",
        "contacts", "contact", "phones", "phone", "schedules", "schedule",
    ),
    "location": _children(
        "location_id",
        "languages", "language", "addresses", "address", "contacts", "contact",
        "accessibility", "accessibility", "phones", "phone", "schedules", "schedule",
    ),
    "organization": _children(
        "organization_id",
        "funding", "funding", "contacts", "contact", "phones", "phone",
        "locations", "location", "programs", "program",
        "organization_identifiers", "organization_identifier",
    ),
    "contact": _children("contact_id", "phones", "phone"),
    "phone": _children("phone_id", "languages", "language"),
}  # fmt: skip

# Many-to-one: table -> (relationship, target table, this table's column, load the
# target's own children?). A service's organization is a summary: no children.
REFERENCES: dict[str, tuple[Relation, ...]] = {
    "service": (
        Relation("organization", "organization", "organization_id", expand=False),
        Relation("program", "program", "program_id"),
    ),
    "service_at_location": (Relation("location", "location", "location_id"),),
    "service_capacity": (Relation("unit", "unit", "unit_id"),),
    "attribute": (Relation("taxonomy_term", "taxonomy_term", "taxonomy_term_id"),),
    "taxonomy_term": (Relation("taxonomy_detail", "taxonomy", "taxonomy_id"),),
}


def fetch(session: Session, table: str, column: str, values: Iterable[str]) -> list[Node]:
    """Rows of ``table`` whose ``column`` is one of ``values``, sorted by id."""
    spec = BY_NAME[table]
    columns = inspect(spec.model).local_table.c
    wanted = sorted(set(values))
    nodes: list[Node] = []
    for start in range(0, len(wanted), CHUNK):
        statement = (
            select(*(columns[name] for name in spec.fields))
            .where(columns[column].in_(wanted[start : start + CHUNK]))
            .order_by(columns["id"])
        )
        nodes.extend(
            Node(**dict(zip(spec.fields, row, strict=True))) for row in session.execute(statement)
        )
    if len(wanted) > CHUNK:
        nodes.sort(key=lambda node: node.id)
    return nodes


def expand(session: Session, table: str, nodes: list[Node]) -> None:
    """Attach every relationship the serializers follow, level by level."""
    if not nodes:
        return
    ids = [node.id for node in nodes]
    for relation in CHILDREN.get(table, ()):
        children = fetch(session, relation.table, relation.column, ids)
        groups: dict[Any, list[Node]] = defaultdict(list)
        for child in children:
            groups[getattr(child, relation.column)].append(child)
        for node in nodes:
            setattr(node, relation.name, groups.get(node.id, []))
        expand(session, relation.table, children)
    for relation in REFERENCES.get(table, ()):
        attach(session, nodes, relation)


def attach(session: Session, nodes: list[Node], relation: Relation) -> None:
    keys = {getattr(node, relation.column) for node in nodes} - {None}
    targets = {target.id: target for target in fetch(session, relation.table, "id", keys)}
    for node in nodes:
        setattr(node, relation.name, targets.get(getattr(node, relation.column)))
    if relation.expand:
        expand(session, relation.table, list(targets.values()))


def load(session: Session, table: str, ids: Iterable[str]) -> list[Node]:
    nodes = fetch(session, table, "id", ids)
    expand(session, table, nodes)
    return nodes


def batches(session: Session, table: str, size: int = 500) -> Iterator[list[Node]]:
    """Every record of ``table`` sorted by id, ``size`` at a time, fully linked."""
    columns = inspect(BY_NAME[table].model).local_table.c
    ids = list(session.scalars(select(columns["id"]).order_by(columns["id"])))
    for start in range(0, len(ids), size):
        yield load(session, table, ids[start : start + size])
