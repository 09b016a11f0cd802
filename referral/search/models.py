"""The search change log: one row per listing change, written in the same transaction.

The index is derived data. Rather than touching the index while a request's transaction
may still roll back, an ``after_flush`` hook records *which* service, organization,
location, service-at-location or taxonomy term changed; the single index writer applies
rows it has not seen yet. A rolled-back change rolls back its log row with it.

The hook records the owning entity (a phone of a service logs the service), never
expands to every affected service-at-location, so bulk imports stay cheap. A bulk
loader may set ``session.info["search_change_log"] = "rebuild"`` to log one rebuild
request per flush instead of a row per entity.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, event, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from referral.db import Base
from referral.directory import models as dm

# The keys a change can name; each maps to a column of search_change.
KEYS = (
    "service_at_location_id",
    "service_id",
    "location_id",
    "organization_id",
    "taxonomy_term_id",
)


class SearchChange(Base):
    __tablename__ = "search_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service_at_location_id: Mapped[str | None] = mapped_column(String(36))
    service_id: Mapped[str | None] = mapped_column(String(36))
    location_id: Mapped[str | None] = mapped_column(String(36))
    organization_id: Mapped[str | None] = mapped_column(String(36))
    taxonomy_term_id: Mapped[str | None] = mapped_column(String(36))
    # "change", "delete" or "rebuild" (everything).
    op: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _attribute_key(record: dm.Attribute) -> tuple[str, str | None]:
    entity = (record.link_entity or record.link_type or "service").lower()
    key = {
        "organization": "organization_id",
        "location": "location_id",
        "service_at_location": "service_at_location_id",
    }.get(entity, "service_id")
    return key, record.link_id


def _owner_keys(record: Any) -> list[tuple[str, str | None]]:
    """(key, id) pairs naming the search documents a changed record feeds."""
    if isinstance(record, dm.Service):
        return [("service_id", record.id)]
    if isinstance(record, dm.Organization):
        return [("organization_id", record.id)]
    if isinstance(record, dm.Location):
        return [("location_id", record.id)]
    if isinstance(record, dm.ServiceAtLocation):
        return [("service_at_location_id", record.id), ("service_id", record.service_id)]
    if isinstance(record, dm.TaxonomyTerm):
        return [("taxonomy_term_id", record.id)]
    if isinstance(record, dm.TaxonomyTermTranslation):  # its name is indexed with the term's
        return [("taxonomy_term_id", record.taxonomy_term_id)]
    if isinstance(record, dm.ServiceTranslation):  # indexed with the service's own text
        return [("service_id", record.service_id)]
    if isinstance(record, dm.Attribute):
        return [_attribute_key(record)]
    if isinstance(record, dm.Address | dm.Accessibility):
        return [("location_id", record.location_id)]
    if isinstance(record, dm.ServiceArea | dm.ServiceCapacity | dm.CostOption):
        return [("service_id", record.service_id)]
    if isinstance(record, dm.Phone | dm.Schedule | dm.Language):
        return [(key, getattr(record, key, None)) for key in KEYS[:4]]
    return []


def _changes(session: Session) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    groups = (("change", session.new), ("change", session.dirty), ("delete", session.deleted))
    for op, records in groups:
        for record in records:
            for key, value in _owner_keys(record):
                if value is not None:
                    found.setdefault((key, value), op)
    return found


@event.listens_for(Session, "after_flush")
def _log_changes(session: Session, _context: Any) -> None:
    changes = _changes(session)
    if not changes:
        return
    now = datetime.now(UTC)
    if session.info.get("search_change_log") == "rebuild":
        rows: list[dict[str, Any]] = [{**dict.fromkeys(KEYS), "op": "rebuild", "created_at": now}]
    else:
        rows = [
            {**dict.fromkeys(KEYS), key: value, "op": op, "created_at": now}
            for (key, value), op in changes.items()
        ]
    session.connection().execute(insert(SearchChange), rows)


def log_rebuild(session: Session) -> None:
    """Ask the index writer for a full rebuild, in the caller's transaction: for bulk
    loaders that insert with Core statements, which the flush hook never sees."""
    row = {**dict.fromkeys(KEYS), "op": "rebuild", "created_at": datetime.now(UTC)}
    session.execute(insert(SearchChange), [row])
