"""Merging one record into another without losing anything.

Everything that points at the merged record is re-pointed at the kept one: for the
HSDS tables through the ORM (so the listing audit trail writes a ``metadata`` row per
moved child and the search change log sees the move), for other tables that name the
record (referrals, clients) with one UPDATE per column, found from the schema so a
table added later is covered without a change here. Columns that are part of a key
or a unique constraint are left alone and reported, since two rows could collide.

Provenance: before the merged record is deleted, every non-empty field of it is
written as a ``metadata`` row on the kept record (``last_action_type`` "merge",
``field_name`` "merged.<field>", the merged value as ``previous_value``), plus a
"merged_from" row; an organization also gets an ``organization_identifier`` of type
"merged from". ``merged_records`` reads the old values back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from referral.curation.models import DuplicateCandidate
from referral.curation.service import CurationError, check_entity, remember
from referral.db import Base
from referral.directory import models as dm
from referral.directory.audit import as_text
from referral.directory.hsds_import.records import MODELS

MERGE_ACTION = "merge"
MERGED_FROM = "merged from"
# Never copied or compared: ids and columns derived from others.
SKIPPED_COLUMNS = frozenset({"id", "geom", "extent_geom"})
# History stays with the record it describes; the queue has no foreign keys.
UNTOUCHED_TABLES = frozenset({"metadata", "duplicate_candidate", "duplicate_decision"})
MERGEABLE = {
    "organization": dm.Organization,
    "service": dm.Service,
    "location": dm.Location,
    "service_at_location": dm.ServiceAtLocation,
}


@dataclass
class MergeResult:
    entity: str
    keep_id: str
    merged_id: str
    # "table.column" -> rows re-pointed
    repointed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    filled: list[str] = field(default_factory=list)
    # "table.column" that name the merged record but could not be re-pointed safely
    left: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "repointed": dict(self.repointed)}


def merge(
    session: Session, keep_id: str, merge_id: str, actor: str, entity: str = "organization"
) -> MergeResult:
    """Merge ``merge_id`` into ``keep_id`` and remember the pair as merged."""
    if entity != "service_at_location":
        check_entity(entity)
    keep, gone = _load(session, entity, keep_id, merge_id)
    result = MergeResult(entity, keep_id, merge_id)
    previous = session.info.get("actor")
    session.info["actor"] = actor
    try:
        kept_links = _links_of(session, entity, keep_id)
        _keep_provenance(session, keep, gone, actor)
        result.filled = _fill_gaps(keep, gone)
        _repoint(session, keep_id, merge_id, result)
        session.flush()
        session.delete(gone)
        session.flush()
        _collapse_service_at_locations(session, entity, keep_id, actor, result, kept_links)
        if entity != "service_at_location":
            remember(session, entity, keep_id, merge_id, "merged", actor)
            _drop_open_candidates(session, entity, merge_id)
    finally:
        session.info["actor"] = previous
    session.expire(keep)
    return result


def _load(session: Session, entity: str, keep_id: str, merge_id: str) -> tuple[Any, Any]:
    if keep_id == merge_id:
        raise CurationError("a record cannot be merged into itself")
    model = MERGEABLE[entity]
    keep, gone = session.get(model, keep_id), session.get(model, merge_id)
    for name, row, id in (("keep", keep, keep_id), ("merge", gone, merge_id)):
        if row is None:
            raise CurationError(f"{name}: no {entity} with id {id}")
    return keep, gone


def _columns(record: Any) -> list[str]:
    return [c.key for c in record.__table__.columns if c.key not in SKIPPED_COLUMNS]


def _keep_provenance(session: Session, keep: Any, gone: Any, actor: str) -> None:
    now, table = datetime.now(UTC), keep.__tablename__

    def row(name: str, old: str, new: str) -> dm.Metadata:
        return dm.Metadata(
            resource_id=keep.id, resource_type=table, last_action_date=now,
            last_action_type=MERGE_ACTION, field_name=name, previous_value=old,
            replacement_value=new, updated_by=actor,
        )  # fmt: skip

    rows = [row("merged_from", gone.id, keep.id)]
    for name in _columns(gone):
        old = as_text(getattr(gone, name))
        if old:
            rows.append(row(f"merged.{gone.id}.{name}", old, as_text(getattr(keep, name))))
    session.add_all(rows)
    if isinstance(keep, dm.Organization):
        session.add(
            dm.OrganizationIdentifier(
                organization_id=keep.id,
                identifier_scheme="referral",
                identifier_type=MERGED_FROM,
                identifier=gone.id,
            )
        )


def _fill_gaps(keep: Any, gone: Any) -> list[str]:
    """Fields empty on the kept record take the merged one's value; a different name
    becomes the alternate name when there is none."""
    filled = []
    for name in _columns(keep):
        value = getattr(gone, name)
        if value == keep.id:  # a link from the merged record to the kept one
            continue
        if getattr(keep, name) in (None, "") and value not in (None, ""):
            setattr(keep, name, value)
            filled.append(name)
    old_name = getattr(gone, "name", None)
    renamed = hasattr(keep, "alternate_name") and old_name and old_name != keep.name
    if renamed and not keep.alternate_name:
        keep.alternate_name = old_name
        filled.append("alternate_name")
    return filled


def _repoint(session: Session, keep_id: str, merge_id: str, result: MergeResult) -> None:
    target = MERGEABLE[result.entity].__tablename__
    for table in Base.metadata.sorted_tables:
        if table.name in UNTOUCHED_TABLES:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name != target or fk.column.name != "id":
                continue
            column = fk.parent.name
            if table.name in MODELS:
                count = _repoint_records(session, MODELS[table.name], column, keep_id, merge_id)
            else:
                count = _repoint_rows(session, table, column, keep_id, merge_id, result)
            if count:
                result.repointed[f"{table.name}.{column}"] += count
    attributes = session.scalars(select(dm.Attribute).where(dm.Attribute.link_id == merge_id))
    for attribute in attributes:
        attribute.link_id = keep_id
        result.repointed["attribute.link_id"] += 1


def _repoint_records(session: Session, model: Any, column: str, keep: str, gone: str) -> int:
    rows = list(session.scalars(select(model).where(getattr(model, column) == gone)))
    for row in rows:
        # A record pointing at the merged one that is the kept one (a parent link).
        setattr(row, column, None if row.id == keep else keep)
    return len(rows)


def _repoint_rows(
    session: Session, table: Table, column: str, keep: str, gone: str, result: MergeResult
) -> int:
    """Rows of a non-HSDS table (referrals, clients): one UPDATE, unless the column is
    part of a key or unique constraint, where two rows could collide."""
    keyed = {c.name for c in table.primary_key.columns}
    for constraint in table.constraints:
        if constraint.__class__.__name__ == "UniqueConstraint":
            keyed |= {c.name for c in constraint.columns}  # type: ignore[attr-defined]
    keyed |= {c.name for index in table.indexes if index.unique for c in index.columns}
    col = table.c[column]
    if column in keyed:
        if session.scalar(select(col).where(col == gone).limit(1)) is not None:
            result.left.append(f"{table.name}.{column}")
        return 0
    outcome: Any = session.execute(update(table).where(col == gone).values({column: keep}))
    return int(outcome.rowcount or 0)


def _links_of(session: Session, entity: str, record_id: str) -> set[str]:
    """Service-at-location ids of a service or location (the kept record's own links)."""
    sal = dm.ServiceAtLocation
    if entity not in ("service", "location"):
        return set()
    column = sal.service_id if entity == "service" else sal.location_id
    return set(session.scalars(select(sal.id).where(column == record_id)))


def _collapse_service_at_locations(
    session: Session,
    entity: str,
    keep_id: str,
    actor: str,
    result: MergeResult,
    kept_links: set[str],
) -> None:
    """After a service or location merge, one service offered twice at one location
    becomes one service_at_location (its phones, schedules, referrals moved over); the
    link the kept record already had survives."""
    sal = dm.ServiceAtLocation
    if entity not in ("service", "location"):
        return
    mine, other = sal.service_id, sal.location_id
    if entity == "location":
        mine, other = other, mine
    rows = session.execute(select(sal.id, other).where(mine == keep_id)).all()
    rows.sort(key=lambda row: (row[0] not in kept_links, row[0]))
    seen: dict[str | None, str] = {}
    for sal_id, partner in rows:
        if partner in seen:
            inner = merge(session, seen[partner], sal_id, actor, "service_at_location")
            for key, count in inner.repointed.items():
                result.repointed[key] += count
            result.left.extend(inner.left)
        else:
            seen[partner] = sal_id


def _drop_open_candidates(session: Session, entity: str, merged_id: str) -> None:
    """Open pairs naming the merged record are stale; the next detection re-finds
    them against the kept record."""
    stale = session.scalars(
        select(DuplicateCandidate).where(
            DuplicateCandidate.entity == entity,
            DuplicateCandidate.status == "open",
            (DuplicateCandidate.a_id == merged_id) | (DuplicateCandidate.b_id == merged_id),
        )
    )
    for row in stale:
        session.delete(row)
    session.flush()


def merged_records(session: Session, keep_id: str) -> dict[str, dict[str, str]]:
    """merged id -> {field: value} of every record merged into ``keep_id``."""
    rows = session.scalars(
        select(dm.Metadata).where(
            dm.Metadata.resource_id == keep_id,
            dm.Metadata.last_action_type == MERGE_ACTION,
            dm.Metadata.field_name.like("merged.%"),
        )
    )
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        _, merged_id, name = row.field_name.split(".", 2)
        found[merged_id][name] = row.previous_value
    return dict(found)
