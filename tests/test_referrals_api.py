"""``/api/v1/referrals`` and ``/api/v1/clients`` through the authorization policy."""

from __future__ import annotations

from accounts_helpers import make_org, make_user, sign_in
from referrals_helpers import (
    NEED,
    bearer,
    give_consent,
    make_client,
    make_place,
    make_world,
    send,
)
from sqlalchemy import func, select

from referral.accounts.models import SecurityAuditEvent
from referral.referrals import clients
from referral.referrals.models import Referral, ReferralEvent


def _create(client, world, headers, key="k-1", **extra):
    body = {
        "client_id": world.client.id,
        "need": NEED,
        "service_at_location_id": world.place.id,
        **extra,
    }
    return client.post("/api/v1/referrals", json=body, headers={**headers, "Idempotency-Key": key})


def _move(client, referral_id, headers, **body):
    return client.post(f"/api/v1/referrals/{referral_id}/transitions", json=body, headers=headers)


def test_a_case_manager_sends_a_referral_and_a_retry_returns_the_same_one(client, session):
    world = make_world(session)
    headers = bearer(session, world.case_manager)
    first = _create(client, world, headers)
    assert first.status_code == 201, first.json
    again = _create(client, world, headers)
    assert again.status_code == 200
    assert again.json["id"] == first.json["id"]
    assert first.json["status"] == "requested" and first.json["version"] == 1
    assert session.scalar(select(func.count()).select_from(Referral)) == 1


def test_a_key_reused_for_a_different_referral_is_a_409(client, session):
    world = make_world(session)
    headers = bearer(session, world.case_manager)
    _create(client, world, headers)
    clash = _create(client, world, headers, need="housing-instability")
    assert clash.status_code == 409
    assert clash.json["field"] == "idempotency_key"


def test_creating_without_an_idempotency_key_is_a_400_naming_it(client, session):
    world = make_world(session)
    body = {"client_id": world.client.id, "need": NEED, "service_at_location_id": world.place.id}
    response = client.post(
        "/api/v1/referrals", json=body, headers=bearer(session, world.case_manager)
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["field"] == "Idempotency-Key"


def test_without_consent_the_api_refuses_with_a_422_naming_consent(client, session):
    world = make_world(session, consent=False)
    response = _create(client, world, bearer(session, world.case_manager))
    assert response.status_code == 422
    assert response.json["field"] == "consent"
    assert "no consent" in response.json["detail"]


def test_an_unknown_need_is_named(client, session):
    world = make_world(session)
    response = _create(client, world, bearer(session, world.case_manager), need="food")
    assert (response.status_code, response.json["field"]) == (422, "need")


def test_the_provider_accepts_and_a_stale_version_gets_409_and_loses_nothing(client, session):
    world = make_world(session)
    referral = send(session, world)
    staff = bearer(session, world.staff)
    accepted = _move(client, referral.id, staff, to="accepted", version=1)
    assert accepted.status_code == 200, accepted.json
    assert (accepted.json["status"], accepted.json["version"]) == ("accepted", 2)
    stale = _move(client, referral.id, staff, to="rejected", reason="full", version=1)
    assert stale.status_code == 409
    assert stale.mimetype == "application/problem+json"
    assert stale.json["current_version"] == 2
    events = client.get(f"/api/v1/referrals/{referral.id}/events", headers=staff).json["items"]
    assert [(e["from"], e["to"]) for e in events] == [
        (None, "requested"),
        ("requested", "accepted"),
    ]


def test_the_referrer_may_not_accept_its_own_referral(client, session):
    world = make_world(session)
    referral = send(session, world)
    response = _move(
        client, referral.id, bearer(session, world.case_manager), to="accepted", version=1
    )
    assert response.status_code == 403
    assert response.json["action"] == "referral.respond"
    denied = session.scalars(
        select(SecurityAuditEvent).where(SecurityAuditEvent.event_type == "access_denied")
    ).all()
    assert denied


def test_rejecting_without_a_reason_is_a_422_naming_reason(client, session):
    world = make_world(session)
    referral = send(session, world)
    response = _move(client, referral.id, bearer(session, world.staff), to="rejected", version=1)
    assert (response.status_code, response.json["field"]) == (422, "reason")
    assert session.get(Referral, referral.id).status == "requested"


def test_a_transition_the_table_forbids_is_a_422_naming_to(client, session):
    world = make_world(session)
    referral = send(session, world)
    response = _move(client, referral.id, bearer(session, world.staff), to="completed", version=1)
    assert (response.status_code, response.json["field"]) == (422, "to")


def test_a_transition_without_a_version_is_a_400(client, session):
    world = make_world(session)
    referral = send(session, world)
    response = _move(client, referral.id, bearer(session, world.staff), to="accepted")
    assert (response.status_code, response.json["field"]) == (400, "version")


def test_the_provider_sees_only_referrals_sent_to_its_organizations(client, session):
    world = make_world(session)
    mine = send(session, world, "mine")
    draft = send(session, world, "draft", send_now=False)
    elsewhere = make_org(session, "Far Away Pantry")
    give_consent(session, world.client, elsewhere)
    world.place = make_place(session, elsewhere)
    theirs = send(session, world, "theirs")
    staff = bearer(session, world.staff)
    staff_view = client.get("/api/v1/referrals", headers=staff).json
    assert [r["id"] for r in staff_view["items"]] == [mine.id]
    assert client.get(f"/api/v1/referrals/{theirs.id}", headers=staff).status_code == 403
    assert client.get(f"/api/v1/referrals/{draft.id}", headers=staff).status_code == 403
    referrer_view = client.get("/api/v1/referrals", headers=bearer(session, world.case_manager))
    assert referrer_view.json["total"] == 3


def test_a_case_manager_cannot_refer_another_organizations_client(client, session):
    world = make_world(session)
    outsider_org = make_org(session, "Other Agency")
    outsider = make_user(session, "out@example.org", "case_manager", outsider_org.id)
    response = _create(client, world, bearer(session, outsider))
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(Referral)) == 0


def test_list_filters_by_status_and_client_and_rejects_bad_values(client, session):
    world = make_world(session)
    send(session, world, "a")
    send(session, world, "b", send_now=False)
    headers = bearer(session, world.case_manager)
    drafts = client.get("/api/v1/referrals?status=draft", headers=headers).json
    assert [r["status"] for r in drafts["items"]] == ["draft"]
    by_client = client.get(f"/api/v1/referrals?client={world.client.id}", headers=headers).json
    assert by_client["total"] == 2
    bad = client.get("/api/v1/referrals?status=done", headers=headers)
    assert (bad.status_code, bad.json["field"]) == (400, "status")
    assert client.get("/api/v1/referrals?overdue=maybe", headers=headers).status_code == 400


def test_do_not_contact_hides_contact_details_from_the_provider(client, session):
    world = make_world(session, preference="do-not-contact")
    referral = send(session, world)
    staff = bearer(session, world.staff)
    seen = client.get(f"/api/v1/referrals/{referral.id}", headers=staff).json["client"]
    assert (seen["email"], seen["phone"], seen["address"]) == (None, None, None)
    assert seen["contact_details_hidden"] is True
    record = client.get(f"/api/v1/clients/{world.client.id}", headers=staff).json
    assert (record["email"], record["phone"], record["address"]) == (None, None, None)
    assert "consents" not in record
    owner = client.get(
        f"/api/v1/clients/{world.client.id}", headers=bearer(session, world.case_manager)
    )
    assert owner.json["phone"] == "555-0100"


def test_the_provider_sees_contact_details_when_contact_is_allowed(client, session):
    world = make_world(session)
    referral = send(session, world)
    seen = client.get(f"/api/v1/referrals/{referral.id}", headers=bearer(session, world.staff))
    assert seen.json["client"]["phone"] == "555-0100"


def test_a_case_manager_of_another_organization_cannot_read_a_client(client, session):
    world = make_world(session)
    outsider_org = make_org(session, "Other Agency")
    outsider = make_user(session, "out@example.org", "case_manager", outsider_org.id)
    response = client.get(f"/api/v1/clients/{world.client.id}", headers=bearer(session, outsider))
    assert response.status_code == 403


def test_provider_staff_cannot_read_a_client_never_referred_to_them(client, session):
    world = make_world(session)
    send(session, world, send_now=False)  # a draft is not sent
    response = client.get(
        f"/api/v1/clients/{world.client.id}", headers=bearer(session, world.staff)
    )
    assert response.status_code == 403


def test_every_read_of_a_client_record_is_audited(app, client, session):
    world = make_world(session)
    sign_in(app, client, world.case_manager)
    assert client.get(f"/api/v1/clients/{world.client.id}").status_code == 200
    reads = session.scalars(
        select(SecurityAuditEvent).where(SecurityAuditEvent.event_type == "client_record_read")
    ).all()
    assert [(r.target_id, r.actor) for r in reads] == [(world.client.id, "cm@example.org")]


def test_a_token_without_the_referrals_scope_is_refused(client, session):
    world = make_world(session)
    response = _create(client, world, bearer(session, world.case_manager, "directory:read"))
    assert response.status_code == 403
    assert "insufficient_scope" in response.headers["WWW-Authenticate"]


def test_clients_are_created_with_facts_and_flagged_as_possible_duplicates(client, session):
    world = make_world(session)
    headers = bearer(session, world.case_manager)
    body = {
        "organization_id": world.agency.id,
        "given_name": "Ana",
        "family_name": "Lopes",
        "birth_date": "1980-05-17",
        "contact_preference": "text",
        "phone": "555-0101",
        "facts": {"age": 46, "household_size": 2},
        "facts_observed_on": "2026-11-01",
    }
    response = client.post("/api/v1/clients", json=body, headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["possible_duplicates"] == [world.client.id]
    assert {f["name"]: f["observed_on"] for f in response.json["facts"]} == {
        "age": "2026-11-01",
        "household_size": "2026-11-01",
    }


def test_client_input_errors_name_the_field(client, session):
    world = make_world(session)
    headers = bearer(session, world.case_manager)
    base = {"organization_id": world.agency.id, "given_name": "A", "family_name": "B"}
    cases = [
        ({**base, "birth_date": "17/05/1980"}, 400, "birth_date"),
        ({**base, "contact_preference": "pigeon"}, 422, "contact_preference"),
        ({**base, "given_name": ""}, 400, "given_name"),
        ({**base, "facts": {"age": -4}}, 422, "facts.age"),
    ]
    for body, status, field in cases:
        response = client.post("/api/v1/clients", json=body, headers=headers)
        assert (response.status_code, response.json.get("field")) == (status, field), body


def test_a_case_manager_cannot_create_a_client_for_another_organization(client, session):
    world = make_world(session)
    body = {"organization_id": world.provider.id, "given_name": "A", "family_name": "B"}
    response = client.post(
        "/api/v1/clients", json=body, headers=bearer(session, world.case_manager)
    )
    assert response.status_code == 403


def test_consent_is_recorded_and_revoked_through_the_api_and_revocation_blocks_sending(
    client, session
):
    world = make_world(session, consent=False)
    headers = bearer(session, world.case_manager)
    consent = client.post(
        f"/api/v1/clients/{world.client.id}/consents",
        json={
            "purpose": "referral",
            "method": "verbal",
            "starts_on": "2026-01-01",
            "recipient_organization_ids": [world.provider.id],
        },
        headers=headers,
    )
    assert consent.status_code == 201, consent.json
    assert _create(client, world, headers, key="one").status_code == 201
    revoked = client.post(
        f"/api/v1/clients/{world.client.id}/consents/{consent.json['id']}/revoke",
        json={"reason": "client asked"},
        headers=headers,
    )
    assert revoked.status_code == 200 and revoked.json["revoked_at"]
    blocked = _create(client, world, headers, key="two")
    assert (blocked.status_code, blocked.json["field"]) == (422, "consent")


def test_a_consent_without_recipients_or_categories_is_refused(client, session):
    world = make_world(session, consent=False)
    response = client.post(
        f"/api/v1/clients/{world.client.id}/consents",
        json={"purpose": "referral", "method": "verbal"},
        headers=bearer(session, world.case_manager),
    )
    assert (response.status_code, response.json["field"]) == (422, "recipient_organization_ids")


def test_events_are_listed_in_order_with_who_and_why(client, session):
    world = make_world(session)
    referral = send(session, world)
    staff = bearer(session, world.staff)
    _move(client, referral.id, staff, to="accepted", version=1)
    _move(client, referral.id, staff, to="on-hold", version=2, reason="waiting for papers")
    events = client.get(f"/api/v1/referrals/{referral.id}/events", headers=staff).json["items"]
    assert [(e["to"], e["actor"], e["reason"]) for e in events] == [
        ("requested", "cm@example.org", None),
        ("accepted", "staff@example.org", None),
        ("on-hold", "staff@example.org", "waiting for papers"),
    ]
    count = session.scalar(select(func.count()).select_from(ReferralEvent))
    assert count == 3


def test_a_second_client_in_the_same_agency_is_not_a_duplicate_by_birthday_alone(session):
    world = make_world(session)
    other = make_client(session, world.agency, given="Tom", family="Nguyen")
    assert clients.possible_duplicate_ids(session, other.id) == []


def test_facts_from_a_later_assessment_are_added_with_their_day(client, session):
    world = make_world(session)
    headers = bearer(session, world.case_manager)
    url = f"/api/v1/clients/{world.client.id}/facts"
    first = client.post(
        url, json={"facts": {"age": 45}, "observed_on": "2026-03-01"}, headers=headers
    )
    assert first.status_code == 201, first.json
    later = client.post(
        url, json={"facts": {"age": 46}, "observed_on": "2026-11-01"}, headers=headers
    )
    assert [(f["value"], f["observed_on"]) for f in later.json["facts"]] == [
        (45, "2026-03-01"),
        (46, "2026-11-01"),
    ]
    bad = client.post(url, json={"facts": {"age": "old"}}, headers=headers)
    assert (bad.status_code, bad.json["field"]) == (422, "facts.age")
    staff = client.post(url, json={"facts": {"age": 1}}, headers=bearer(session, world.staff))
    assert staff.status_code == 403
