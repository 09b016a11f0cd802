"""Provider staff edit their own listings: one form for a service (eligibility,
capacity, hours), copying to locations, a new service in one form. Every save is
audited in HSDS metadata and logged for search; other organizations' listings are 403."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from accounts_helpers import make_org, make_user, sign_in
from sqlalchemy import select

from referral.curation.models import DuplicateCandidate
from referral.directory import models as dm
from referral.matching import eligibility, records
from referral.matching.assessment import ClientFacts
from referral.provider import prefill
from referral.search.hours import compile_rules, open_at_local
from referral.search.models import SearchChange

TODAY = datetime.now(UTC).date()


@pytest.fixture
def harbor(session):
    organization = make_org(session, "Harbor Food Bank")
    locations = []
    for name, street in (("Main pantry", "1 Pier St"), ("East pantry", "9 Dock Rd")):
        location = dm.Location(location_type="physical", name=name, organization_id=organization.id)
        location.addresses = [
            dm.Address(
                address_1=street, city="Baltimore", state_province="MD",
                postal_code="21231", country="US", address_type="physical",
            )
        ]  # fmt: skip
        session.add(location)
        locations.append(location)
    service = dm.Service(name="Harbor pantry", status="active", organization_id=organization.id)
    session.add(service)
    session.flush()
    session.add(dm.ServiceAtLocation(service_id=service.id, location_id=locations[0].id))
    session.flush()
    session.refresh(service)
    return organization, service, locations


@pytest.fixture
def staff(app, client, session, harbor):
    user = make_user(session, "pat@harbor.example", "provider_staff", harbor[0].id)
    sign_in(app, client, user)
    return user


def service_form(session, service, **changes) -> dict:
    values = prefill.service_values(session, service)
    values.update(prefill.hours_values(list(service.schedules), TODAY))
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


WEEKDAYS_9_TO_5 = {
    **{f"hours-{d}-state": "open" for d in ("MO", "TU", "WE", "TH", "FR")},
    **{f"hours-{d}-1-opens": "09:00" for d in ("MO", "TU", "WE", "TH", "FR")},
    **{f"hours-{d}-1-closes": "17:00" for d in ("MO", "TU", "WE", "TH", "FR")},
}


def test_staff_edit_hours_capacity_and_eligibility_in_one_save(client, session, harbor, staff):
    _, service, _ = harbor
    form = service_form(
        session, service,
        **WEEKDAYS_9_TO_5,
        **{"capacity-mode": "count", "capacity-available": "4", "capacity-maximum": "20",
           "capacity-unit": "Food boxes", "minimum_age": "18", "income_fpl": "200",
           "residency_scope": "county", "residency": "Baltimore City", "gender": "female"},
    )  # fmt: skip
    response = client.post(f"/provider/services/{service.id}/edit", data=form)
    assert response.status_code == 303
    session.expire_all()
    service = session.get(dm.Service, service.id)
    rules = compile_rules(service.service_at_locations[0].schedules)
    assert open_at_local(rules, datetime(2026, 11, 30, 10, 0))
    assert not open_at_local(rules, datetime(2026, 11, 29, 10, 0))
    (capacity,) = service.capacities
    assert (capacity.available, capacity.maximum, capacity.unit.name) == (4, 20, "Food boxes")
    assert service.minimum_age == 18 and service.assured_date == TODAY
    record = records.load_service(session, service.id)
    kinds = {c.kind: c.params for c in record.stored_criteria}
    assert kinds["income"] == {"fpl_percent": 200.0}
    assert kinds["residency"] == {"county": ["baltimore-city"]}
    verdict = eligibility.check(record, ClientFacts(age=40, gender="male"))
    assert verdict.status == "ineligible"


def test_every_save_writes_metadata_rows_and_a_search_change(client, session, harbor, staff):
    _, service, _ = harbor
    form = service_form(session, service, name="Harbor pantry and kitchen", income_fpl="150")
    client.post(f"/provider/services/{service.id}/edit", data=form)
    rows = session.scalars(select(dm.Metadata).where(dm.Metadata.resource_id == service.id)).all()
    by_field = {r.field_name: r for r in rows}
    assert by_field["name"].previous_value == "Harbor pantry"
    assert by_field["name"].replacement_value == "Harbor pantry and kitchen"
    assert by_field["name"].updated_by == "pat@harbor.example"
    assert "fpl_percent" in by_field["eligibility_criteria"].replacement_value
    logged = session.scalars(select(SearchChange.service_id)).all()
    assert service.id in logged


def test_temporarily_closed_needs_a_reason(client, session, harbor, staff):
    _, service, _ = harbor
    form = service_form(session, service, status="temporarily closed", alert="")
    response = client.post(f"/provider/services/{service.id}/edit", data=form)
    assert response.status_code == 422
    assert b'id="alert-error"' in response.data and b'aria-invalid="true"' in response.data
    form["alert"] = "Closed for repairs until January 5"
    assert client.post(f"/provider/services/{service.id}/edit", data=form).status_code == 303
    session.refresh(service)
    assert (service.status, service.alert) == (
        "temporarily closed",
        "Closed for repairs until January 5",
    )


def test_staff_of_another_organization_get_403(app, session, harbor):
    _, service, locations = harbor
    other = make_org(session, "Hilltop Shelter")
    outsider = make_user(session, "sam@hilltop.example", "provider_staff", other.id)
    browser = app.test_client()
    sign_in(app, browser, outsider)
    assert browser.get(f"/provider/services/{service.id}/edit").status_code == 403
    assert (
        browser.post(f"/provider/services/{service.id}/edit", data={"name": "x"}).status_code == 403
    )
    assert browser.get(f"/provider/locations/{locations[0].id}/edit").status_code == 403
    assert browser.get(f"/provider/organizations/{harbor[0].id}/services/new").status_code == 403
    session.refresh(service)
    assert service.name == "Harbor pantry"


def test_copying_a_service_to_other_locations_copies_its_hours(client, session, harbor, staff):
    _, service, locations = harbor
    client.post(
        f"/provider/services/{service.id}/edit",
        data=service_form(session, service, **WEEKDAYS_9_TO_5),
    )
    response = client.post(
        f"/provider/services/{service.id}/copy", data={"location": [locations[1].id]}
    )
    assert response.status_code == 303
    session.expire_all()
    service = session.get(dm.Service, service.id)
    assert {sal.location_id for sal in service.service_at_locations} == {
        loc.id for loc in locations
    }
    copied = next(s for s in service.service_at_locations if s.location_id == locations[1].id)
    assert [(r.byday, r.opens_at, r.closes_at) for r in copied.schedules] == [
        ("MO,TU,WE,TH,FR", "09:00", "17:00")
    ]


def test_a_new_service_in_one_form_lands_at_its_locations_and_is_checked_for_duplicates(
    client, session, harbor, staff
):
    organization, service, locations = harbor
    form = {
        "name": "Harbor pantry", "description": "Groceries once a week.", "status": "active",
        "phone-0-number": "410-555-0100", "languages": "English, Spanish",
        "location": [locations[0].id, locations[1].id], "minimum_age": "18",
        **WEEKDAYS_9_TO_5,
    }  # fmt: skip
    response = client.post(f"/provider/organizations/{organization.id}/services/new", data=form)
    assert response.status_code == 201
    assert b"Possible duplicates" in response.data
    new = session.scalars(
        select(dm.Service).where(dm.Service.name == "Harbor pantry", dm.Service.id != service.id)
    ).one()
    assert len(new.service_at_locations) == 2
    assert all(len(sal.schedules) == 1 for sal in new.service_at_locations)
    assert sorted(lang.code for lang in new.languages) == ["en", "es"]
    pair = session.scalars(
        select(DuplicateCandidate).where(DuplicateCandidate.entity == "service")
    ).all()
    assert {service.id, new.id} in [{p.a_id, p.b_id} for p in pair]


def test_a_location_edit_saves_the_address_and_accessibility(client, session, harbor, staff):
    _, _, locations = harbor
    form = {
        "name": "Main pantry", "address_1": "2 Pier St", "city": "Baltimore",
        "state_province": "Maryland", "postal_code": "21231",
        "accessibility": "Wheelchair ramp\nAccessible restroom",
    }  # fmt: skip
    assert client.post(f"/provider/locations/{locations[0].id}/edit", data=form).status_code == 303
    session.refresh(locations[0])
    assert locations[0].addresses[0].address_1 == "2 Pier St"
    assert locations[0].addresses[0].state_province == "MD"
    assert [a.description for a in locations[0].accessibility] == [
        "Wheelchair ramp",
        "Accessible restroom",
    ]
    assert locations[0].latitude is not None


def test_the_provider_page_lists_services_with_status_and_staleness(client, session, harbor, staff):
    _, service, _ = harbor
    service.assured_date = date(2020, 1, 1)
    session.flush()
    page = client.get("/provider")
    assert page.status_code == 200
    assert b"Harbor pantry" in page.data and b"Stale" in page.data


def test_an_edit_by_someone_whose_claim_is_pending_becomes_a_change_request(app, session, harbor):
    from referral.curation.changes import ChangeRequest
    from referral.provider.models import OrganizationClaim

    organization, service, _ = harbor
    hopeful = make_user(session, "hopeful@gmail.com")
    session.add(OrganizationClaim(organization_id=organization.id, user_id=hopeful.id))
    session.flush()
    browser = app.test_client()
    sign_in(app, browser, hopeful)
    page = browser.get(f"/provider/services/{service.id}/edit")
    assert page.status_code == 200 and b"Send my changes for review" in page.data
    form = service_form(session, service, name="Harbor pantry (new hours)")
    assert browser.post(f"/provider/services/{service.id}/edit", data=form).status_code == 303
    session.refresh(service)
    assert service.name == "Harbor pantry"  # not applied
    request = session.scalars(select(ChangeRequest)).one()
    assert request.target_id == service.id and request.user_id == hopeful.id
    assert [(f.field, f.new_value) for f in request.fields] == [
        ("name", "Harbor pantry (new hours)")
    ]


def test_a_signed_in_user_without_any_claim_gets_403(app, session, harbor):
    _, service, _ = harbor
    browser = app.test_client()
    sign_in(app, browser, make_user(session, "nobody@gmail.com"))
    assert browser.get(f"/provider/services/{service.id}/edit").status_code == 403


def test_a_new_location_is_added_and_checked_for_duplicates(client, session, harbor, staff):
    organization, _, locations = harbor
    form = {
        "name": "Main pantry", "address_1": "1 Pier St", "city": "Baltimore",
        "state_province": "MD", "postal_code": "21231",
    }  # fmt: skip
    response = client.post(f"/provider/organizations/{organization.id}/locations/new", data=form)
    assert response.status_code == 303
    added = session.scalars(
        select(dm.Location).where(dm.Location.organization_id == organization.id)
    ).all()
    assert len(added) == 3
    pairs = session.scalars(
        select(DuplicateCandidate).where(DuplicateCandidate.entity == "location")
    ).all()
    assert any(locations[0].id in (p.a_id, p.b_id) for p in pairs)
