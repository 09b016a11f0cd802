"""What the ranker needs to know about a few hundred candidate places, in a fixed
number of column-only queries (no ORM object graphs), so a match stays fast at any
directory size. Eligibility records come from ``records.load_services`` unchanged."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.orm import Session

from referral.directory import models as dm
from referral.matching.records import ServiceRecord, load_services
from referral.search import hours
from referral.search.documents import language_code

# A state's main time zone: looking a ZIP code's zone up costs milliseconds the first
# time, a few hundred places per match at 100,000 services. The few counties on the
# other side of a zone line within a state may see "open now" off by an hour, which
# moves one small factor (open hours) of the score, never eligibility.
_ET, _CT, _MT, _PT = "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"


def _zones(zone: str, states: str) -> dict[str, str]:
    return dict.fromkeys(states.split(), zone)


STATE_ZONES = {
    **_zones(_ET, "CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV"),
    **_zones(_CT, "AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI"),
    **_zones(_MT, "CO ID MT NM UT WY"),
    **_zones(_PT, "CA NV OR WA"),
    "AZ": "America/Phoenix", "AK": "America/Anchorage", "HI": "Pacific/Honolulu",
    "PR": "America/Puerto_Rico",
}  # fmt: skip
# Accessibility notes saying the site is NOT accessible ("Not wheelchair accessible").
_NOT_ACCESSIBLE = re.compile(r"\b(not|no|in)\s*(wheelchair\s+)?accessib|\bstairs only\b", re.I)
_ACCESSIBLE = re.compile(r"accessib|ramp|elevator|wheelchair", re.I)


@dataclass(frozen=True)
class Place:
    """One service-at-location with the facts its score reads."""

    service_at_location_id: str
    service_id: str
    location_id: str
    organization_id: str
    organization_name: str
    service_name: str
    status: str
    text: str
    assured_date: date | None
    languages: tuple[str, ...]
    schedule: hours.WeeklyRules
    timezone: str
    accessible: bool | None
    capacity_available: int | None
    address: str

    def open_at(self, moment: datetime) -> bool | None:
        return hours.is_open(self.schedule, moment, self.timezone)


def load_places(session: Session, sal_ids: Sequence[str]) -> dict[str, Place]:
    ids = sorted(set(sal_ids))
    if not ids:
        return {}
    rows = session.execute(_base_query(ids)).all()
    services = sorted({r.service_id for r in rows})
    locations = sorted({r.location_id for r in rows})
    langs = _languages(session, services, locations)
    rules = _schedules(session, ids, services, locations)
    access = _accessibility(session, locations)
    capacity = _capacity(session, services)
    addresses = _addresses(session, locations)
    found = {}
    for r in rows:
        postcode, address, timezone = addresses.get(r.location_id, ("", "", ""))
        found[r.id] = Place(
            r.id, r.service_id, r.location_id, r.organization_id or "", r.org_name or "",
            r.name, r.status, " ".join(p for p in (r.name, r.description, r.org_name) if p),
            r.assured_date,
            tuple(sorted(langs.get(r.service_id, set()) | langs.get(r.location_id, set()))),
            rules.get(r.id) or rules.get(r.service_id) or rules.get(r.location_id) or (),
            timezone or hours.default_timezone(),
            access.get(r.location_id), capacity.get(r.service_id), address,
        )  # fmt: skip
    return found


def _ids(values: Sequence[str]) -> BindParameter[Any]:
    """An "expanding" parameter: IN lists of a few hundred ids bound as one value, which
    spares SQLAlchemy coercing each id (a noticeable share of a match's time)."""
    return bindparam("ids", list(values), expanding=True)  # one IN list per query


def area_ids(session: Session, service_ids: Iterable[str]) -> list[str]:
    """Ids of the service areas of these services that have a map extent."""
    a = dm.ServiceArea
    ids = sorted(set(service_ids))
    rows = session.scalars(
        select(a.id).where(a.service_id.in_(_ids(ids)), a.extent_geom.is_not(None)).order_by(a.id)
    )
    return list(rows)


def load_records(session: Session, service_ids: Iterable[str]) -> dict[str, ServiceRecord]:
    return {r.id: r for r in load_services(session, sorted(set(service_ids)))}


def _base_query(ids: list[str]):  # type: ignore[no-untyped-def]
    sal, svc, org = dm.ServiceAtLocation, dm.Service, dm.Organization
    return (
        select(
            sal.id, sal.service_id, sal.location_id, svc.organization_id, svc.name,
            svc.description, svc.status, svc.assured_date, org.name.label("org_name"),
        )
        .join(svc, svc.id == sal.service_id)
        .outerjoin(org, org.id == svc.organization_id)
        .where(sal.id.in_(_ids(ids)))
    )  # fmt: skip


def _languages(session: Session, services: list[str], locations: list[str]) -> dict[str, set[str]]:
    lang = dm.Language
    columns = (lang.service_id, lang.location_id, lang.code, lang.name)
    # one query per owner column: an OR of two IN lists can make SQLite scan the table
    rows = [
        *session.execute(select(*columns).where(lang.service_id.in_(_ids(services)))),
        *session.execute(select(*columns).where(lang.location_id.in_(_ids(locations)))),
    ]
    found: dict[str, set[str]] = {}
    for service_id, location_id, code, name in rows:
        value = language_code(code, name)
        owner = service_id or location_id
        if value and owner:
            found.setdefault(owner, set()).add(value)
    return found


def _schedules(
    session: Session, sals: list[str], services: list[str], locations: list[str]
) -> dict[str, hours.WeeklyRules]:
    """Rules keyed by the most specific owner: service-at-location, service or location."""
    s = dm.Schedule
    columns = (
        s.id, s.service_at_location_id, s.service_id, s.location_id, s.byday,
        s.opens_at, s.closes_at, s.valid_from, s.valid_to,
    )  # fmt: skip
    found = {
        row.id: row
        for owner, ids in (
            (s.service_at_location_id, sals), (s.service_id, services), (s.location_id, locations)
        )
        for row in session.execute(select(*columns).where(owner.in_(_ids(ids))))
    }  # fmt: skip
    grouped: dict[str, list[object]] = {}
    for row in sorted(found.values(), key=lambda r: r.id):
        owner = row.service_at_location_id or row.service_id or row.location_id
        grouped.setdefault(owner, []).append(row)
    return {owner: hours.compile_rules(items) for owner, items in grouped.items()}  # type: ignore[arg-type]


def _accessibility(session: Session, locations: list[str]) -> dict[str, bool]:
    a = dm.Accessibility
    rows = session.execute(
        select(a.location_id, a.description, a.details).where(a.location_id.in_(_ids(locations)))
    )
    found: dict[str, bool] = {}
    for location_id, description, details in rows:
        if not location_id:
            continue
        text = " ".join(p for p in (description, details) if p)
        yes = bool(_ACCESSIBLE.search(text)) and not _NOT_ACCESSIBLE.search(description or "")
        found[location_id] = found.get(location_id, False) or yes
    return found


def _capacity(session: Session, services: list[str]) -> dict[str, int]:
    c = dm.ServiceCapacity
    rows = session.execute(
        select(c.service_id, c.available).where(c.service_id.in_(_ids(services)))
    )
    found: dict[str, int] = {}
    for service_id, available in rows:
        found[service_id] = found.get(service_id, 0) + int(available or 0)
    return found


def _addresses(session: Session, locations: list[str]) -> dict[str, tuple[str, str, str]]:
    a = dm.Address
    rows = session.execute(
        select(a.location_id, a.postal_code, a.address_1, a.city, a.state_province)
        .where(a.location_id.in_(_ids(locations)))
        .order_by(a.id)
    )
    found: dict[str, tuple[str, str, str]] = {}
    for location_id, postcode, line, city, state in rows:
        if location_id and location_id not in found:
            text = ", ".join(p.strip() for p in (line, city, state, postcode) if p and p.strip())
            zip5 = (postcode or "").strip()[:5]
            found[location_id] = (zip5, text, zone_of(state, zip5))
    return found


def zone_of(state: str | None, postcode: str) -> str:
    zone = STATE_ZONES.get((state or "").strip().upper())
    if zone:
        return zone
    return hours.timezone_for_postcode(postcode) if postcode else hours.default_timezone()
