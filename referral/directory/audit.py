"""The listing audit trail: an HSDS ``metadata`` row for every field change.

A ``before_flush`` hook compares each changed HSDS record with its loaded state and
writes one row per changed field (who, when, field, old, new). New records get one
``create`` row and deleted ones a ``delete`` row. The actor comes from
``session.info["actor"]``. A bulk import sets ``session.info["audit_creates"] = False``
so that loading a file adds no rows of its own to the records it brings (their own
metadata comes with them); updates made by an import are still audited.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from referral.directory import models

# Derived columns are not listing data: changing them is not an edit.
UNAUDITED_COLUMNS = frozenset({"id", "geom", "extent_geom"})
AUDITED_TYPES = tuple(
    cls for cls in models.HsdsRecord.__subclasses__() if cls is not models.Metadata
)


def actor(session: Session) -> str:
    return str(session.info.get("actor") or "system")


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def changed_fields(record: Any) -> list[tuple[str, str, str]]:
    """(field, previous, replacement) for each column changed since load."""
    state = inspect(record)
    changes = []
    for attr in state.mapper.column_attrs:
        if attr.key in UNAUDITED_COLUMNS:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if as_text(before) != as_text(after):
            changes.append((attr.key, as_text(before), as_text(after)))
    return changes


def _row(record: Any, action: str, field: str, before: str, after: str, by: str) -> models.Metadata:
    return models.Metadata(
        resource_id=record.id,
        resource_type=record.__tablename__,
        last_action_date=datetime.now(UTC),
        last_action_type=action,
        field_name=field,
        previous_value=before,
        replacement_value=after,
        updated_by=by,
    )


@event.listens_for(Session, "before_flush")
def _audit(session: Session, _context: Any, _instances: Any) -> None:
    by = actor(session)
    rows: list[models.Metadata] = []
    if session.info.get("audit_creates", True):
        for record in session.new:
            if isinstance(record, AUDITED_TYPES):
                if record.id is None:
                    record.id = models.new_id()
                rows.append(_row(record, "create", "*", "", "", by))
    for record in session.dirty:
        if isinstance(record, AUDITED_TYPES) and session.is_modified(record):
            for field, before, after in changed_fields(record):
                rows.append(_row(record, "update", field, before, after, by))
    for record in session.deleted:
        if isinstance(record, AUDITED_TYPES):
            rows.append(_row(record, "delete", "*", "", "", by))
    session.add_all(rows)
