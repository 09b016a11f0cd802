"""Loading whole directories for export: eager loads and batches.

A fully nested service touches a dozen tables; loading them lazily would be one query
per relationship per record. These options load each relationship for a whole batch in
one ``SELECT ... WHERE parent_id IN (...)``, so a batch costs a fixed number of queries.
Batches keep memory flat: the session's identity map holds clean objects weakly, so a
batch is freed once its records are written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from referral.directory import models as m

BATCH = 500
T = TypeVar("T", bound=m.HsdsRecord)


def _phones(relationship: Any) -> _AbstractLoad:
    return selectinload(relationship).selectinload(m.Phone.languages)


def _contacts(relationship: Any) -> _AbstractLoad:
    return selectinload(relationship).selectinload(m.Contact.phones).selectinload(m.Phone.languages)


def location_options(relationship: Any) -> _AbstractLoad:
    return selectinload(relationship).options(
        defer(m.Location.geom),
        selectinload(m.Location.languages),
        selectinload(m.Location.addresses),
        _contacts(m.Location.contacts),
        selectinload(m.Location.accessibility),
        _phones(m.Location.phones),
        selectinload(m.Location.schedules),
    )


def service_options(*, locations: bool = True) -> list[_AbstractLoad]:
    options = [
        _phones(m.Service.phones),
        selectinload(m.Service.schedules),
        selectinload(m.Service.service_areas).defer(m.ServiceArea.extent_geom),
        selectinload(m.Service.languages),
        selectinload(m.Service.organization),
        selectinload(m.Service.funding),
        selectinload(m.Service.cost_options),
        selectinload(m.Service.program),
        selectinload(m.Service.required_documents),
        _contacts(m.Service.contacts),
        selectinload(m.Service.capacities).selectinload(m.ServiceCapacity.unit),
    ]
    if locations:
        options.append(service_at_location_options(m.Service.service_at_locations))
    return options


def service_at_location_options(relationship: Any) -> _AbstractLoad:
    return selectinload(relationship).options(
        _contacts(m.ServiceAtLocation.contacts),
        _phones(m.ServiceAtLocation.phones),
        selectinload(m.ServiceAtLocation.schedules),
        location_options(m.ServiceAtLocation.location),
    )


def organization_options() -> list[_AbstractLoad]:
    return [
        selectinload(m.Organization.funding),
        _contacts(m.Organization.contacts),
        _phones(m.Organization.phones),
        location_options(m.Organization.locations),
        selectinload(m.Organization.programs),
        selectinload(m.Organization.organization_identifiers),
    ]


def batches(
    session: Session, model: type[T], options: Sequence[_AbstractLoad], size: int = BATCH
) -> Iterator[list[T]]:
    """All records of ``model`` sorted by id, ``size`` at a time, relationships loaded."""
    ids = list(session.scalars(select(model.id).order_by(model.id)))
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        yield list(
            session.scalars(
                select(model).where(model.id.in_(chunk)).order_by(model.id).options(*options)
            )
        )
