"""Ids and links: canonical ids, duplicates, broken foreign keys, insert order.

Non-UUID source ids (Miami's are integers like ``"136"``) become uuid5 over a fixed
namespace, the table and the source id (see ``records.canonical_id``), so re-imports
update the same rows and links stay consistent across files. The source id stays
visible: an organization gets an ``organization_identifier`` (type "source id"), a
location keeps it as ``external_identifier``; for other tables it can be recovered by
computing the uuid5 again.

A link to a record that is neither in the input nor in the database is broken. A
location's organization is recovered through the services delivered at it when they
all belong to one known organization; other broken links are removed (reported), and
a record whose link is required is rejected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from referral.directory.hsds_import.records import (
    MODELS,
    TABLE_ORDER,
    Package,
    Record,
    canonical_id,
    foreign_keys,
    is_uuid,
    required,
)
from referral.directory.hsds_import.summary import ImportSummary

# table, ids -> the ids that exist in the database
Known = Callable[[str, set[str]], set[str]]
SOURCE_ID = "source id"
SELF_LINKS = {"organization": "parent_organization_id", "taxonomy_term": "parent_id"}


def assign_ids(package: Package, summary: ImportSummary) -> None:
    for table in list(package.records):
        for record in list(package.records[table]):
            _assign(package, summary, record)


def _assign(package: Package, summary: ImportSummary, record: Record) -> None:
    values = record.values
    raw = values.get("id")
    if raw is None and not record.append:
        raw = f"{record.source}#{record.line}"
        summary.repair(record, "id", "no id; one made from the file and row", "", raw)
    if raw is not None:
        values["id"] = canonical_id(record.table, raw)
        if record.append:
            record.raw_links["id"] = str(raw)
    for column, target in foreign_keys(record.table).items():
        if values.get(column) is not None:
            record.raw_links[column] = values[column]
            values[column] = canonical_id(target, values[column])
    _assign_polymorphic(record, "link_id", "link_entity")
    _assign_polymorphic(record, "resource_id", "resource_type")
    if raw is not None and not is_uuid(str(raw)) and not record.append:
        _keep_source_id(package, record, str(raw))


def _assign_polymorphic(record: Record, column: str, table_column: str) -> None:
    value, table = record.values.get(column), record.values.get(table_column)
    if value is not None and table in MODELS:
        record.raw_links[column] = value
        record.values[column] = canonical_id(str(table), value)


def _keep_source_id(package: Package, record: Record, raw: str) -> None:
    if record.table == "organization":
        identifier = {
            "id": canonical_id("organization_identifier", f"{SOURCE_ID}/{raw}"),
            "organization_id": record.values["id"],
            "identifier_type": SOURCE_ID,
            "identifier": raw,
        }
        package.add(
            Record("organization_identifier", identifier, record.source, record.line, raw, False)
        )
    elif record.table == "location" and not record.values.get("external_identifier"):
        record.values["external_identifier"] = raw
        record.values["external_identifier_type"] = SOURCE_ID


def merge_duplicates(package: Package, summary: ImportSummary) -> None:
    """One record per id: later duplicates fill gaps; fragments append their text."""
    for table, records in package.records.items():
        first: dict[str, Record] = {}
        for record in (r for r in records if not r.append):
            if record.id in first:
                _merge(first[str(record.id)], record, summary)
            else:
                first[str(record.id)] = record
        for record in (r for r in records if r.append):
            _append(first, record, summary)
        package.records[table] = list(first.values())


def _merge(target: Record, record: Record, summary: ImportSummary) -> None:
    conflicts = []
    for name, value in record.values.items():
        if target.values.get(name) in (None, ""):
            target.values[name] = value
        elif target.values[name] != value:
            conflicts.append(name)
    reason = f"duplicate id; merged into row {target.line} of {target.source}"
    if conflicts:
        reason += f" (kept that row's {', '.join(sorted(conflicts))})"
    # The same nested JSON object met twice is not news; a conflicting duplicate is.
    summary.merge(record, reason, listed=bool(conflicts) or target.source != record.source)


def _append(first: dict[str, Record], record: Record, summary: ImportSummary) -> None:
    target = first.get(str(record.id)) if record.id else None
    if target is None:
        link = f"{record.table}_id"
        raw = record.raw_links.get("id")
        reason = (
            f"no {link}: cannot be linked to a {record.table}"
            if raw is None
            else f"{link} {raw!r} is not in this import"
        )
        summary.reject(record, reason, link, raw or "")
        return
    for name, value in record.values.items():
        if name != "id":
            old = target.values.get(name)
            target.values[name] = f"{old}\n\n{value}" if old else value
            summary.merge(record, f"appended to {name} of {target.table} row {target.line}")


def recover_location_organizations(package: Package, known: Known, summary: ImportSummary) -> None:
    """A location whose organization is unknown takes the one of the services at it."""
    organizations = _ids(package, "organization")
    services = {r.id: r.values.get("organization_id") for r in package.records.get("service", [])}
    by_location: dict[str, set[str | None]] = defaultdict(set)
    for link in package.records.get("service_at_location", []):
        if link.values.get("service_id") in services:
            by_location[str(link.values.get("location_id"))].add(
                services[link.values["service_id"]]
            )
    broken = [
        r for r in package.records.get("location", [])
        if r.values.get("organization_id") not in organizations | {None}
    ]  # fmt: skip
    found = known("organization", {str(r.values["organization_id"]) for r in broken})
    for record in broken:
        candidates = by_location.get(str(record.id), set())
        organization = next(iter(candidates)) if len(candidates) == 1 else None
        if record.values["organization_id"] in found or organization not in organizations | found:
            continue
        reason = "organization not found; recovered from the services at this location"
        summary.repair(
            record, "organization_id", reason, record.raw_links.get("organization_id"), organization
        )
        record.values["organization_id"] = organization


def _ids(package: Package, table: str) -> set[str]:
    return {str(r.id) for r in package.records.get(table, [])}


def check_links(package: Package, known: Known, summary: ImportSummary) -> None:
    """Remove (and report) links to records that exist nowhere; reject if required."""
    for table in TABLE_ORDER:
        records = package.records.get(table, [])
        for column, target in _link_columns(table, records).items():
            name, _, entity = column.partition(":")
            wanted = {
                str(r.values[name])
                for r in records
                if r.values.get(name) is not None
                and (not entity or r.values.get("link_entity") == entity)
            }
            present = _ids(package, target)
            present |= known(target, wanted - present)
            package.records[table] = records = [
                r for r in records if _keep(r, column, target, present, summary)
            ]


def _link_columns(table: str, records: Iterable[Record]) -> dict[str, str]:
    links = dict(foreign_keys(table))
    if table == "attribute":
        for entity in {r.values.get("link_entity") for r in records} & set(MODELS):
            links[f"link_id:{entity}"] = str(entity)
    return links


def _keep(
    record: Record, column: str, target: str, present: set[str], summary: ImportSummary
) -> bool:
    name, _, entity = column.partition(":")
    value = record.values.get(name)
    if value is None or value in present or (entity and record.values.get("link_entity") != entity):
        return True
    raw = record.raw_links.get(name, value)
    if name in required(record.table) or entity:
        summary.reject(
            record, f"{name}: no {target} with id {raw!r} in the input or database", name, raw
        )
        return False
    summary.repair(record, name, f"no {target} with id {raw!r}; link removed", raw, "")
    del record.values[name]
    return True


def insert_order(package: Package, summary: ImportSummary) -> None:
    """Parents before children within self-linked tables (cycles are cut, reported)."""
    for table, column in SELF_LINKS.items():
        records = package.records.get(table, [])
        by_id = {str(r.id): r for r in records}
        ordered: list[Record] = []
        state: dict[str, int] = {}
        for record in records:
            _visit(record, column, by_id, state, ordered, summary)
        package.records[table] = ordered


def _visit(
    record: Record,
    column: str,
    by_id: dict[str, Record],
    state: dict[str, int],
    ordered: list[Record],
    summary: ImportSummary,
) -> None:
    chain = []
    current: Record | None = record
    while current is not None and state.get(str(current.id)) is None:
        state[str(current.id)] = 1
        chain.append(current)
        parent = current.values.get(column)
        current = by_id.get(str(parent)) if parent is not None else None
        if current is not None and state.get(str(current.id)) == 1:
            summary.repair(chain[-1], column, "circular parent link removed", parent, "")
            del chain[-1].values[column]
            current = None
    for item in reversed(chain):
        state[str(item.id)] = 2
        ordered.append(item)
