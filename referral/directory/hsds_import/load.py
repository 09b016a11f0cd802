"""Upserting the canonical rows into the database, batch by batch.

Each batch loads the rows that already exist by id in one query, updates only the
fields whose value differs (so the audit hook writes ``metadata`` rows for real changes
only), adds the new rows, flushes, and lets go of the objects to keep memory flat.
Only fields present in the input are written: an import never blanks a field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.directory.hsds_import.links import Known
from referral.directory.hsds_import.records import MODELS, TABLE_ORDER, Package, Record
from referral.directory.hsds_import.summary import ImportSummary

BATCH_SIZE = 500
AfterBatch = Callable[[int], None]


def known_in(session: Session) -> Known:
    """Which of some ids exist in a table of the database."""

    def known(table: str, ids: set[str]) -> set[str]:
        model: Any = MODELS[table]
        wanted = sorted(ids)
        found: set[str] = set()
        for start in range(0, len(wanted), BATCH_SIZE):
            chunk = wanted[start : start + BATCH_SIZE]
            found.update(session.scalars(select(model.id).where(model.id.in_(chunk))))
        return found

    return known


def load_package(
    session: Session,
    package: Package,
    summary: ImportSummary,
    *,
    batch_size: int = BATCH_SIZE,
    after_batch: AfterBatch | None = None,
) -> None:
    for table in TABLE_ORDER:
        records = package.records.get(table, [])
        for start in range(0, len(records), batch_size):
            chunk = records[start : start + batch_size]
            _load_batch(session, table, chunk, summary)
            if after_batch is not None:
                after_batch(len(chunk))


def _load_batch(
    session: Session, table: str, records: Sequence[Record], summary: ImportSummary
) -> None:
    model: Any = MODELS[table]
    ids = [record.id for record in records]
    existing = {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))}
    touched = list(existing.values())
    for record in records:
        row = existing.get(record.id)
        if row is None:
            row = model(**record.values)
            session.add(row)
            touched.append(row)
            summary.outcome(record, "created")
        else:
            summary.outcome(record, "updated" if _apply(row, record.values) else "unchanged")
    session.flush()
    for row in touched:
        session.expunge(row)


def _apply(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if name != "id" and not _same(getattr(row, name), value):
            setattr(row, name, value)
            changed = True
    return changed


def _same(stored: Any, new: Any) -> bool:
    if isinstance(stored, datetime) and isinstance(new, datetime):
        return _utc(stored) == _utc(new)
    if isinstance(stored, float) or isinstance(new, float):
        return stored is not None and new is not None and float(stored) == float(new)
    return bool(stored == new)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
