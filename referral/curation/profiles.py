"""Loading comparison profiles from the database: a few set-based queries per entity
type (never one query per record), so a whole directory loads in seconds.

An organization is compared on its own phones and website and on the phones,
addresses and coordinates of its services and locations; a location on its own
addresses, phones and point; a service on its phones, website and the places it is
offered at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.curation.features import Profile, make_profile
from referral.directory import models as dm

Rows = Iterable[Any]


def _group(rows: Rows) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        if row[0] is not None:
            grouped[row[0]].append(row[1] if len(row) == 2 else tuple(row[1:]))
    return grouped


def load_profiles(session: Session, entity: str) -> list[Profile]:
    loaders = {
        "organization": _organizations,
        "location": _locations,
        "service": _services,
    }
    return loaders[entity](session)


def _organizations(session: Session) -> list[Profile]:
    loc, svc, ph, ad = dm.Location, dm.Service, dm.Phone, dm.Address
    phones = _group(session.execute(select(ph.organization_id, ph.number)))
    for owner, link in ((svc, ph.service_id), (loc, ph.location_id)):
        query = select(owner.organization_id, ph.number).join(owner, owner.id == link)
        for org, numbers in _group(session.execute(query)).items():
            phones[org].extend(numbers)
    addresses = _group(
        session.execute(
            select(loc.organization_id, ad.address_1, ad.postal_code).join(
                loc, loc.id == ad.location_id
            )
        )
    )
    points = _group(session.execute(select(loc.organization_id, loc.latitude, loc.longitude)))
    rows = session.execute(
        select(dm.Organization.id, dm.Organization.name, dm.Organization.alternate_name)
        .add_columns(dm.Organization.website)
        .order_by(dm.Organization.id)
    )
    return [
        make_profile(
            id,
            "organization",
            [name, alternate],
            phones=phones.get(id, []),
            addresses=addresses.get(id, []),
            websites=[website],
            points=points.get(id, []),
        )
        for id, name, alternate, website in rows
    ]


def _locations(session: Session) -> list[Profile]:
    loc, ph, ad = dm.Location, dm.Phone, dm.Address
    phones = _group(session.execute(select(ph.location_id, ph.number)))
    addresses = _group(session.execute(select(ad.location_id, ad.address_1, ad.postal_code)))
    rows = session.execute(
        select(loc.id, loc.name, loc.alternate_name, loc.url, loc.organization_id)
        .add_columns(loc.latitude, loc.longitude)
        .order_by(loc.id)
    )
    return [
        make_profile(
            id,
            "location",
            [name, alternate],
            phones=phones.get(id, []),
            addresses=addresses.get(id, []),
            websites=[url],
            points=[(lat, lon)],
            owner=org,
        )
        for id, name, alternate, url, org, lat, lon in rows
    ]


def _services(session: Session) -> list[Profile]:
    svc, sal, loc, ph, ad = dm.Service, dm.ServiceAtLocation, dm.Location, dm.Phone, dm.Address
    phones = _group(session.execute(select(ph.service_id, ph.number)))
    addresses = _group(
        session.execute(
            select(sal.service_id, ad.address_1, ad.postal_code).join(
                ad, ad.location_id == sal.location_id
            )
        )
    )
    points = _group(
        session.execute(
            select(sal.service_id, loc.latitude, loc.longitude).join(loc, loc.id == sal.location_id)
        )
    )
    rows = session.execute(
        select(svc.id, svc.name, svc.alternate_name, svc.url, svc.organization_id).order_by(svc.id)
    )
    return [
        make_profile(
            id,
            "service",
            [name, alternate],
            phones=phones.get(id, []),
            addresses=addresses.get(id, []),
            websites=[url],
            points=points.get(id, []),
            owner=org,
        )
        for id, name, alternate, url, org in rows
    ]
