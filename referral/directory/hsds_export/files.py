"""Writing an export: HSDS 3.0 JSON files or an HSDS 3.0 tabular data package.

Output is deterministic (records sorted by id, fixed key and column order, no
timestamps) so that export -> import -> export can be compared byte for byte.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Enum, inspect, select
from sqlalchemy.orm import Session

from referral.directory.hsds_export import graph
from referral.directory.hsds_export.serialize import (
    Json,
    Links,
    serialize_organization,
    serialize_service,
    serialize_taxonomy,
    serialize_taxonomy_term,
)
from referral.directory.hsds_export.tables import TABLES, Table, csv_cell, record
from referral.directory.hsds_schema import RecordValidator, SchemaProblem

# Problems kept for the report; the rest are only counted.
KEPT_PROBLEMS = 50
STREAM_ROWS = 2000


@dataclass
class ExportResult:
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[SchemaProblem] = field(default_factory=list)
    problem_count: int = 0
    validated: bool = False

    def check(self, problems: list[SchemaProblem]) -> None:
        self.problem_count += len(problems)
        room = KEPT_PROBLEMS - len(self.problems)
        self.problems.extend(problems[: max(room, 0)])


def write_json_array(path: Path, records: Iterable[Json]) -> int:
    """The same bytes as ``json.dump(list(records), indent=2)``, one record at a time."""
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for item in records:
            out.write("[\n  " if count == 0 else ",\n  ")
            out.write(encode(item, "  "))
            count += 1
        out.write("\n]\n" if count else "[]\n")
    return count


def encode(value: Any, indent: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` nested at ``indent``.

    The standard library falls back to its pure-Python encoder whenever ``indent`` is
    given, and that was the slowest part of a large export; this keeps the C string
    encoder and builds the layout directly.
    """
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        items = [f"{inner}{_string(key)}: {encode(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = indent + "  "
        items = [inner + encode(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return _scalar(value)


def _scalar(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float) and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value)


_string: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _nested(
    session: Session, table: str, serialize: Callable[[Any, Links], Json]
) -> Iterator[Json]:
    for batch in graph.batches(session, table):
        links = Links()
        records = [serialize(obj, links) for obj in batch]
        links.resolve(session)
        yield from records


def _validated(
    records: Iterable[Json], schema: str, validator: RecordValidator | None, result: ExportResult
) -> Iterator[Json]:
    for item in records:
        if validator is not None:
            result.check(validator.object_problems(schema, item))
        yield item


# file -> (table, schema, serializer), in the order that imports them back exactly:
# the taxonomy first (terms' parents need not be used by any attribute), then services
# (whose nesting brings their locations with every link), then organizations.
JSON_FILES: dict[str, tuple[str, str, Callable[[Any, Links], Json]]] = {
    "taxonomies.json": ("taxonomy", "taxonomy", serialize_taxonomy),
    "taxonomy_terms.json": ("taxonomy_term", "taxonomy_term", serialize_taxonomy_term),
    "services.json": ("service", "service", serialize_service),
    "organizations.json": ("organization", "organization", serialize_organization),
}


def export_json(
    session: Session, folder: Path, validator: RecordValidator | None = None
) -> ExportResult:
    """services.json (fully nested services), organizations.json, and the taxonomy.

    Terms and taxonomies also appear inside the attributes that use them; their own
    files hold every term, so parents that no attribute names are not lost.
    """
    result = ExportResult(validated=validator is not None)
    for name, (table, schema, serialize) in JSON_FILES.items():
        records = _validated(_nested(session, table, serialize), schema, validator, result)
        result.counts[name.removesuffix(".json")] = write_json_array(folder / name, records)
    return result


def _rows(session: Session, table: Table) -> Iterator[Any]:
    columns = inspect(table.model).local_table.c
    statement = (
        select(*(columns[name] for name in table.fields))
        .order_by(columns["id"])
        .execution_options(yield_per=STREAM_ROWS)
    )
    yield from session.execute(statement)


def _write_table(
    session: Session,
    folder: Path,
    table: Table,
    validator: RecordValidator | None,
    result: ExportResult,
) -> int:
    count = 0
    with (folder / table.path).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(table.fields)
        for row in _rows(session, table):
            item = record(table, row)
            if validator is not None:
                result.check(validator.row_problems(table.name, item))
            writer.writerow([csv_cell(item.get(name)) for name in table.fields])
            count += 1
    return count


def export_csv(
    session: Session, folder: Path, validator: RecordValidator | None = None
) -> ExportResult:
    """An HSDS 3.0 tabular data package (datapackage.json + one CSV per table)."""
    result = ExportResult(validated=validator is not None)
    for table in TABLES:
        result.counts[table.path] = _write_table(session, folder, table, validator, result)
    text = json.dumps(datapackage(), ensure_ascii=False, indent=2)
    (folder / "datapackage.json").write_text(text + "\n", encoding="utf-8", newline="\n")
    return result


FIELD_TYPES = {str: "string", int: "integer", float: "number", date: "date", datetime: "datetime"}


def _field(table: Table, name: str) -> Json:
    column = inspect(table.model).local_table.c[name]
    spec: Json = {"name": name, "type": FIELD_TYPES[column.type.python_type]}
    if name == "id" or (name.endswith("_id") and name != "tax_id"):
        spec["format"] = "uuid"
    elif name.endswith("email"):
        spec["format"] = "email"
    elif name in table.uris:
        spec["format"] = "uri"
    constraints: Json = {}
    if name in table.required:
        constraints["required"] = True
    if name == "id":
        constraints["unique"] = True
    if isinstance(column.type, Enum):
        constraints["enum"] = list(column.type.enums)
    if constraints:
        spec["constraints"] = constraints
    return spec


def _resource(table: Table) -> Json:
    resource: Json = {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
    }
    if table.hsds_3_1:
        resource["description"] = "HSDS 3.1 object, not part of the HSDS 3.0 schemas."
    resource["schema"] = {
        "fields": [_field(table, name) for name in table.fields],
        "primaryKey": "id",
    }
    return resource


def datapackage() -> Json:
    return {
        "name": "hsds",
        "title": "Human Services Data Specification 3.0 export",
        "profile": "tabular-data-package",
        "resources": [_resource(table) for table in TABLES],
    }
