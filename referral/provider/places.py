"""Locations and where a service is offered: editing a location's address and
accessibility, copying a service to more of the organization's locations in one step,
and adding a whole new service from one form.

Functions take a Session and never commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from referral.curation import service as curation
from referral.directory import models as dm
from referral.matching.places import place_for_zip, state_code
from referral.provider import editing, hours_form
from referral.provider.service_form import FormErrors, ServiceInput


@dataclass(frozen=True)
class LocationInput:
    name: str
    address_1: str
    city: str
    state_province: str
    postal_code: str
    address_2: str | None = None
    description: str | None = None
    transportation: str | None = None
    accessibility: tuple[str, ...] = ()


def _clean(form: Mapping[str, str], name: str, limit: int = 500) -> str:
    return (form.get(name) or "").replace("\r\n", "\n").strip()[:limit]


def parse_location(form: Mapping[str, str]) -> LocationInput:
    errors: dict[str, str] = {}
    values = {
        key: _clean(form, key)
        for key in ("name", "address_1", "address_2", "city", "state_province", "postal_code")
    }
    for key, message in (
        ("name", _("Give the location a name people recognize.")),
        ("address_1", _("Give the street address.")),
        ("city", _("Give the city.")),
        ("state_province", _("Give the state.")),
        ("postal_code", _("Give the ZIP code.")),
    ):
        if not values[key]:
            errors[key] = message
    if values["postal_code"] and not re.fullmatch(r"\d{5}(-\d{4})?", values["postal_code"]):
        errors["postal_code"] = _("Give a ZIP code like 21201.")
    if values["state_province"] and state_code(values["state_province"]) is None:
        errors["state_province"] = _("Give a US state, like MD or Maryland.")
    if errors:
        raise FormErrors(errors)
    access = tuple(
        line.strip() for line in _clean(form, "accessibility", 2000).splitlines() if line.strip()
    )
    return LocationInput(
        name=values["name"],
        address_1=values["address_1"],
        address_2=values["address_2"] or None,
        city=values["city"],
        state_province=state_code(values["state_province"]) or values["state_province"],
        postal_code=values["postal_code"],
        description=_clean(form, "description", 5000) or None,
        transportation=_clean(form, "transportation", 2000) or None,
        accessibility=access,
    )


def physical_address(location: dm.Location) -> dm.Address | None:
    found = [a for a in location.addresses if a.address_type == "physical"]
    candidates = found or list(location.addresses)
    return candidates[0] if candidates else None


def apply_location(session: Session, location: dm.Location, edit: LocationInput) -> None:
    location.name = edit.name
    location.description = edit.description
    location.transportation = edit.transportation
    address = physical_address(location)
    if address is None:
        address = dm.Address(location_id=location.id, country="US", address_type="physical")
        location.addresses.append(address)
    moved = (address.postal_code, address.address_1) != (edit.postal_code, edit.address_1)
    address.address_1, address.address_2 = edit.address_1, edit.address_2
    address.city, address.state_province = edit.city, edit.state_province
    address.postal_code = edit.postal_code
    if moved or location.latitude is None:
        # Offline: the ZIP code's centre, close enough for distance until a curator
        # geocodes the street address.
        place = place_for_zip(edit.postal_code)
        location.latitude = place.lat if place else None
        location.longitude = place.lon if place else None
    have = [a.description for a in location.accessibility]
    if have != list(edit.accessibility):
        for row in list(location.accessibility):
            session.delete(row)
        location.accessibility = [
            dm.Accessibility(id=i, location_id=location.id, description=text)
            for i, text in zip(
                editing.ordered_ids(len(edit.accessibility)), edit.accessibility, strict=True
            )
        ]


def new_location(
    session: Session, organization: dm.Organization, edit: LocationInput
) -> dm.Location:
    location = dm.Location(organization_id=organization.id, location_type="physical")
    session.add(location)
    session.flush()
    apply_location(session, location, edit)
    session.flush()
    return location


def location_duplicates(session: Session, location: dm.Location) -> list[curation.Candidate]:
    """Pairs with the new location, queued for curators (a second entry for one site)."""
    return curation.detect_for(session, "location", {location.id})


def offered_at(service: dm.Service) -> set[str]:
    return {sal.location_id for sal in service.service_at_locations if sal.location_id}


def copy_to_locations(
    session: Session, service: dm.Service, location_ids: Iterable[str]
) -> list[dm.ServiceAtLocation]:
    """Offer ``service`` at more of its organization's locations, each with a copy of
    the hours it has now (of its first place, or its own when it has no place yet)."""
    organization_locations = {
        loc.id: loc for loc in (service.organization.locations if service.organization else [])
    }
    wanted = [i for i in dict.fromkeys(location_ids) if i not in offered_at(service)]
    unknown = [i for i in wanted if i not in organization_locations]
    if unknown:
        raise FormErrors({"location": _("Choose locations of this organization.")})
    source = (
        service.service_at_locations[0].schedules
        if service.service_at_locations
        else [s for s in service.schedules if s.service_at_location_id is None]
    )
    added = []
    for location_id in wanted:
        sal = dm.ServiceAtLocation(service_id=service.id, location_id=location_id)
        session.add(sal)
        session.flush()
        for row in source:
            session.add(_copy_schedule(row, service.id, sal.id))
        added.append(sal)
    session.flush()
    session.expire(service, ["service_at_locations", "schedules"])
    return added


def _copy_schedule(row: dm.Schedule, service_id: str, sal_id: str) -> dm.Schedule:
    skip = {"id", "service_id", "location_id", "service_at_location_id"}
    values = {
        c.key: getattr(row, c.key) for c in dm.Schedule.__mapper__.column_attrs if c.key not in skip
    }
    return dm.Schedule(service_id=service_id, service_at_location_id=sal_id, **values)


@dataclass(frozen=True)
class NewService:
    service: dm.Service
    duplicates: list[curation.Candidate]


def create_service(
    session: Session,
    organization: dm.Organization,
    edit: ServiceInput,
    hours: hours_form.HoursForm,
    location_ids: Iterable[str],
    today: date,
) -> NewService:
    """The whole new service from one form: the listing, where it is offered, its
    hours everywhere; then duplicate detection, whose pairs go to the curators' queue."""
    service = dm.Service(organization_id=organization.id, name=edit.name, status=edit.status)
    session.add(service)
    session.flush()
    editing.apply_service(session, service, edit, today)
    copy_to_locations(session, service, location_ids)
    session.refresh(service, ["service_at_locations"])
    if hours.listed:
        editing.replace_hours(session, service, hours)
    session.flush()
    duplicates = curation.detect_for(session, "service", {service.id})
    return NewService(service, duplicates)
