"""Eager-load options for serializing ORM objects (the HSDS API's single records and pages).

A fully nested service touches a dozen tables; loading them lazily would be one query
per relationship per record. These options load each relationship for all the records
of a query in one ``SELECT ... WHERE parent_id IN (...)``, so a page costs a fixed
number of queries. (Whole-directory exports skip the ORM: see ``graph``.)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import defer, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from referral.directory import models as m


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
