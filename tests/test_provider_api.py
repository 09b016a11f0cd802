"""``PATCH /api/v1/services/{id}`` extended with ``hours`` and ``capacity``: written
as the provider pages write them; the plain-field contract is unchanged."""

from __future__ import annotations

from datetime import datetime

import pytest
from accounts_helpers import make_org, make_service, make_user

from referral.accounts import audit, policy, tokens
from referral.directory import models as dm
from referral.search.hours import compile_rules, open_at_local


@pytest.fixture
def listing(session):
    organization = make_org(session, "Harbor Food Bank")
    service = make_service(session, organization)
    location = dm.Location(location_type="physical", name="Pier", organization_id=organization.id)
    session.add(location)
    session.flush()
    session.add(dm.ServiceAtLocation(service_id=service.id, location_id=location.id))
    staff = make_user(session, "staff@harbor.example", "provider_staff", organization.id)
    _token, secret = tokens.create_token(
        session,
        audit.Context(actor="test"),
        staff,
        "sync",
        [policy.SCOPE_LISTINGS_WRITE],
        organization.id,
    )
    session.flush()
    session.refresh(service)
    return service, {"Authorization": f"Bearer {secret}"}


def test_hours_and_capacity_are_set_through_the_api(client, session, listing):
    service, headers = listing
    body = {
        "hours": {
            "weekly": {"MO": [["09:00", "12:00"], ["13:00", "17:00"]], "SA": [["10:00", "14:00"]]},
            "exceptions": [{"date": "2026-12-07", "closed": True}],
        },
        "capacity": {"available": 3, "maximum": 10, "unit": "Beds"},
    }
    response = client.patch(f"/api/v1/services/{service.id}", json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["capacity"] == {
        "available": 3.0, "maximum": 10.0, "unit": "Beds", "description": None,
    }  # fmt: skip
    session.expire_all()
    service = session.get(dm.Service, service.id)
    rules = compile_rules(service.service_at_locations[0].schedules)
    assert open_at_local(rules, datetime(2026, 11, 30, 10, 0))  # a Monday
    assert not open_at_local(rules, datetime(2026, 12, 7, 10, 0))  # the closed Monday
    assert service.capacities[0].available == 3


def test_a_waitlist_and_then_no_capacity_at_all(client, session, listing):
    service, headers = listing
    full = client.patch(
        f"/api/v1/services/{service.id}", json={"capacity": {"waitlist": True}}, headers=headers
    )
    assert full.json["capacity"]["waitlist"] is True and full.json["capacity"]["available"] == 0
    cleared = client.patch(
        f"/api/v1/services/{service.id}", json={"capacity": None}, headers=headers
    )
    assert cleared.json["capacity"] is None
    session.expire_all()
    assert session.get(dm.Service, service.id).capacities == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hours": {"weekly": {"XX": []}}}, "hours.weekly"),
        ({"hours": {"weekly": {"MO": [["9am", "17:00"]]}}}, "hours.weekly.MO[0]"),
        ({"hours": {"exceptions": [{"date": "soon", "closed": True}]}}, "hours.exceptions[0].date"),
        ({"capacity": {"available": -1, "unit": "Beds"}}, "capacity.available"),
        ({"capacity": {"available": 5, "maximum": 2, "unit": "Beds"}}, "capacity.available"),
        ({"capacity": {"available": 5}}, "capacity.unit"),
    ],
)
def test_bad_hours_or_capacity_are_problems_naming_the_field(client, listing, body, field):
    service, headers = listing
    response = client.patch(f"/api/v1/services/{service.id}", json=body, headers=headers)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["field"] == field


def test_plain_field_updates_answer_as_before(client, listing):
    service, headers = listing
    response = client.patch(
        f"/api/v1/services/{service.id}", json={"name": "Pantry"}, headers=headers
    )
    assert response.status_code == 200 and "capacity" not in response.json
    empty = client.patch(f"/api/v1/services/{service.id}", json={}, headers=headers)
    assert empty.status_code == 400
