"""The records a batch of search documents is built from, read as plain Core rows.

Loading ORM objects with ``selectinload`` cost about 0.7 ms of CPU per document, most
of an index build. Plain ``select()`` rows grouped here in Python cost a fraction of
that, in a fixed number of queries per batch. The objects handed to
``documents.build_document`` have the models' attribute and relationship names (lists
in the relationships' id order), so a document comes out the same either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from referral.directory import models as dm

Grouped = dict[str, list[Row[Any]]]

SERVICE_COLUMNS = (
    "name",
    "status",
    "alternate_name",
    "description",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "fees",
    "fees_description",
    "organization_id",
)
LOCATION_COLUMNS = ("name", "alternate_name", "description", "latitude", "longitude")
ADDRESS_COLUMNS = ("address_1", "city", "region", "state_province", "postal_code")
SCHEDULE_COLUMNS = ("byday", "opens_at", "closes_at", "valid_from", "valid_to")


def _grouped(
    session: Session, model: Any, key: str, keys: set[str], columns: Sequence[str]
) -> Grouped:
    """Rows of ``model`` whose ``key`` column is in ``keys``, grouped by it, in id order."""
    found: Grouped = {}
    if not keys:
        return found
    key_column = getattr(model, key)
    statement = (
        select(key_column.label("_key"), *(getattr(model, c) for c in columns))
        .where(key_column.in_(sorted(keys)))
        .order_by(model.id)
    )
    for row in session.execute(statement):
        found.setdefault(row[0], []).append(row)
    return found


def _by_id(session: Session, model: Any, ids: set[str], columns: Sequence[str]) -> dict[str, Any]:
    return {k: rows[0] for k, rows in _grouped(session, model, "id", ids, columns).items()}


def _services(session: Session, ids: set[str]) -> dict[str, SimpleNamespace]:
    rows = _by_id(session, dm.Service, ids, SERVICE_COLUMNS)
    org_ids = {r.organization_id for r in rows.values() if r.organization_id}
    orgs = _by_id(session, dm.Organization, org_ids, ("name", "alternate_name"))
    keys = set(rows)
    lists = {
        "languages": _grouped(session, dm.Language, "service_id", keys, ("code", "name")),
        "schedules": _grouped(session, dm.Schedule, "service_id", keys, SCHEDULE_COLUMNS),
        "phones": _grouped(session, dm.Phone, "service_id", keys, ("number",)),
        "capacities": _grouped(session, dm.ServiceCapacity, "service_id", keys, ("available",)),
        "cost_options": _grouped(
            session, dm.CostOption, "service_id", keys, ("amount", "option", "amount_description")
        ),
        "service_areas": _grouped(session, dm.ServiceArea, "service_id", keys, ("id",)),
    }
    return {
        sid: SimpleNamespace(
            id=sid,
            **{c: getattr(row, c) for c in SERVICE_COLUMNS},
            organization=orgs.get(row.organization_id or ""),
            **{name: grouped.get(sid, []) for name, grouped in lists.items()},
        )
        for sid, row in rows.items()
    }


def _locations(session: Session, ids: set[str]) -> dict[str, SimpleNamespace]:
    rows = _by_id(session, dm.Location, ids, LOCATION_COLUMNS)
    keys = set(rows)
    lists = {
        "addresses": _grouped(session, dm.Address, "location_id", keys, ADDRESS_COLUMNS),
        "languages": _grouped(session, dm.Language, "location_id", keys, ("code", "name")),
        "schedules": _grouped(session, dm.Schedule, "location_id", keys, SCHEDULE_COLUMNS),
        "phones": _grouped(session, dm.Phone, "location_id", keys, ("number",)),
        "accessibility": _grouped(session, dm.Accessibility, "location_id", keys, ("id",)),
    }
    return {
        lid: SimpleNamespace(
            id=lid,
            **{c: getattr(row, c) for c in LOCATION_COLUMNS},
            **{name: grouped.get(lid, []) for name, grouped in lists.items()},
        )
        for lid, row in rows.items()
    }


def service_at_locations(session: Session, ids: Sequence[str]) -> list[SimpleNamespace]:
    """The given service-at-locations that exist with their service and location, in id
    order, each with ``.service`` and ``.location`` and the lists documents read."""
    rows = _by_id(
        session, dm.ServiceAtLocation, set(ids), ("service_id", "location_id", "description")
    )
    services = _services(session, {r.service_id for r in rows.values() if r.service_id})
    locations = _locations(session, {r.location_id for r in rows.values() if r.location_id})
    keys = set(rows)
    schedules = _grouped(session, dm.Schedule, "service_at_location_id", keys, SCHEDULE_COLUMNS)
    phones = _grouped(session, dm.Phone, "service_at_location_id", keys, ("number",))
    found = []
    for sal_id in sorted(rows):
        row = rows[sal_id]
        service = services.get(row.service_id or "")
        location = locations.get(row.location_id or "")
        if service is None or location is None:
            continue
        found.append(
            SimpleNamespace(
                id=sal_id,
                service_id=row.service_id,
                location_id=row.location_id,
                description=row.description,
                service=service,
                location=location,
                schedules=schedules.get(sal_id, []),
                phones=phones.get(sal_id, []),
            )
        )
    return found
