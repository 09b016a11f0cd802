"""Change requests: a public suggestion becomes field-level changes, a curator
approves or rejects each field, and only approved fields reach the listing and its
metadata trail."""

from __future__ import annotations

import pytest
from accounts_helpers import make_org, make_service, make_user, sign_in
from sqlalchemy import select

from referral.curation import changes
from referral.directory.models import Location, Metadata, Phone, Service, ServiceAtLocation
from referral.notify.models import OutboxMessage


def _service(session, name="Harbor Pantry"):
    org = make_org(session, f"{name} Org")
    service = make_service(session, org, name)
    service.description = "Free groceries every Tuesday."
    service.email = "pantry@example.org"
    session.add(Phone(service_id=service.id, number="410-555-0100"))
    session.flush()
    return service


def _metadata(session, resource_id, after=None):
    query = select(Metadata).where(Metadata.resource_id == resource_id)
    rows = list(session.scalars(query.order_by(Metadata.last_action_date)))
    return [r for r in rows if after is None or r.id not in after]


def test_propose_keeps_only_the_fields_that_differ_with_their_old_values(session):
    service = _service(session)
    request = changes.propose(
        session,
        target_type="service",
        target_id=service.id,
        fields={
            "name": "Harbor Pantry",  # unchanged: not kept
            "description": "Free groceries every Tuesday and Thursday.",
            "email": "",
            "phones": ["410-555-0100", "410-555-0199"],
        },
        submitter={"name": "Ana", "email": "ana@example.org"},
        note="I volunteer there.",
    )
    kept = {f.field: (f.action, f.old_value, f.new_value) for f in request.fields}
    assert kept == {
        "description": (
            "edit",
            "Free groceries every Tuesday.",
            "Free groceries every Tuesday and Thursday.",
        ),
        "email": ("remove", "pantry@example.org", ""),
        "phones": ("edit", "410-555-0100", "410-555-0100\n410-555-0199"),
    }
    assert request.source == "public" and request.status == "open"
    assert request.submitter_email == "ana@example.org"


def test_propose_rejects_invalid_values_and_no_op_suggestions(session):
    service = _service(session)
    with pytest.raises(changes.ChangeError) as bad:
        changes.propose(
            session,
            target_type="service",
            target_id=service.id,
            fields={"status": "gone", "email": "not-an-address", "name": "", "colour": "red"},
        )
    assert set(bad.value.problems) == {"status", "email", "name", "colour"}
    with pytest.raises(changes.ChangeError) as same:
        changes.propose(
            session, target_type="service", target_id=service.id, fields={"name": service.name}
        )
    assert "" in same.value.problems


def test_anonymous_suggestion_becomes_a_change_request_with_two_fields(app, client, session):
    service = _service(session)
    page = client.get(f"/services/{service.id}/suggest")
    assert page.status_code == 200
    assert b"Free groceries every Tuesday." in page.data  # current values prefilled
    response = client.post(
        f"/services/{service.id}/suggest",
        data={
            "name": "Harbor Community Pantry",
            "description": "Free groceries every Tuesday.",
            "fees": "No cost.",
            "submitter_email": "ana@example.org",
            "note": "Sign outside changed.",
        },
    )
    assert response.status_code == 303
    request = session.scalars(
        select(changes.ChangeRequest).where(changes.ChangeRequest.target_id == service.id)
    ).one()
    assert sorted(f.field for f in request.fields) == ["fees", "name"]
    assert request.user_id is None and request.note == "Sign outside changed."
    assert session.get(Service, service.id).name == "Harbor Pantry"  # nothing applied yet


def test_a_filled_honeypot_is_thanked_but_not_recorded(client, session):
    service = _service(session)
    response = client.post(
        f"/services/{service.id}/suggest",
        data={"name": "Buy pills online", "website_confirm": "http://spam.example"},
    )
    assert response.status_code == 303
    assert session.scalars(select(changes.ChangeRequest)).first() is None


def test_invalid_suggestion_is_answered_beside_the_field(client, session):
    service = _service(session)
    response = client.post(f"/services/{service.id}/suggest", data={"email": "nope"})
    assert response.status_code == 422
    assert b'aria-invalid="true"' in response.data and b'role="alert"' in response.data


def test_curator_approves_one_field_and_rejects_another_metadata_shows_only_the_approved(
    app, client, session
):
    service = _service(session)
    request = changes.propose(
        session,
        target_type="service",
        target_id=service.id,
        fields={"name": "Harbor Community Pantry", "fees": "Five dollars."},
        submitter={"email": "ana@example.org"},
    )
    name_field = next(f for f in request.fields if f.field == "name")
    fees_field = next(f for f in request.fields if f.field == "fees")
    before = {m.id for m in _metadata(session, service.id)}
    curator = make_user(session, "curator@example.org", "curator")
    sign_in(app, client, curator)
    page = client.get(f"/curation/changes/{request.id}")
    assert page.status_code == 200 and b"[added: </span>Community" in page.data
    response = client.post(
        f"/curation/changes/{request.id}",
        data={
            f"decision-{name_field.id}": "approve",
            f"decision-{fees_field.id}": "reject",
            f"reason-{fees_field.id}": "The pantry is free; confirmed by phone.",
        },
    )
    assert response.status_code == 303
    session.expire_all()
    stored = session.get(Service, service.id)
    assert stored.name == "Harbor Community Pantry"
    assert stored.fees_description is None
    new_rows = _metadata(session, service.id, after=before)
    assert [(m.field_name, m.previous_value, m.replacement_value) for m in new_rows] == [
        ("name", "Harbor Pantry", "Harbor Community Pantry")
    ]
    assert new_rows[0].updated_by == "curator@example.org"
    request = session.get(changes.ChangeRequest, request.id)
    assert request.status == "closed"
    assert {f.field: f.status for f in request.fields} == {
        "name": "approved",
        "fees": "rejected",
    }
    mail = session.scalars(
        select(OutboxMessage).where(OutboxMessage.related_id == request.id)
    ).one()
    assert mail.to_address == "ana@example.org" and "confirmed by phone" in mail.body


def test_a_field_changed_since_the_suggestion_needs_an_explicit_override(session):
    service = _service(session)
    request = changes.propose(
        session, target_type="service", target_id=service.id, fields={"email": "new@example.org"}
    )
    field = request.fields[0]
    session.info["actor"] = "provider@example.org"
    service.email = "other@example.org"  # someone edited the listing meanwhile
    session.flush()
    assert changes.conflicts(session, request) == {field.id: "other@example.org"}
    with pytest.raises(changes.ConflictError):
        changes.decide(session, request, {field.id: changes.Decision(True)}, "curator@x.org")
    assert service.email == "other@example.org" and field.status == "pending"
    changes.decide(
        session, request, {field.id: changes.Decision(True, override_conflict=True)}, "c@x.org"
    )
    assert service.email == "new@example.org"
    assert field.overwrote == "other@example.org" and request.status == "closed"


def test_conflict_is_shown_to_the_curator_and_nothing_is_saved(app, client, session):
    service = _service(session)
    request = changes.propose(
        session, target_type="service", target_id=service.id, fields={"email": "new@example.org"}
    )
    field_id = request.fields[0].id
    service.email = "other@example.org"
    session.flush()
    sign_in(app, client, make_user(session, "curator@example.org", "curator"))
    page = client.get(f"/curation/changes/{request.id}")
    assert b"Conflict:" in page.data and b"other@example.org" in page.data
    refused = client.post(
        f"/curation/changes/{request.id}", data={f"decision-{field_id}": "approve"}
    )
    assert refused.status_code == 409
    session.expire_all()
    assert session.get(Service, service.id).email == "other@example.org"
    accepted = client.post(
        f"/curation/changes/{request.id}",
        data={f"decision-{field_id}": "approve", f"override-{field_id}": "yes"},
    )
    assert accepted.status_code == 303
    session.expire_all()
    assert session.get(Service, service.id).email == "new@example.org"


def test_list_and_address_fields_apply_to_the_child_records(session):
    service = _service(session)
    location = Location(location_type="physical", name="Main hall", organization_id=None)
    session.add(location)
    session.flush()
    session.add(ServiceAtLocation(service_id=service.id, location_id=location.id))
    session.flush()
    session.expire(service)
    request = changes.propose(
        session,
        target_type="service",
        target_id=service.id,
        fields={
            "phones": "410-555-0199 x12",
            "address_1": "12 Pier Rd",
            "city": "Baltimore",
            "required_documents": "Photo ID\nProof of address",
            "hours": "Tuesdays 9am to noon",
        },
    )
    changes.approve_all(session, request, "curator@example.org")
    session.expire_all()
    stored = session.get(Service, service.id)
    assert [(p.number, p.extension) for p in stored.phones] == [("410-555-0199", 12)]
    assert sorted(d.document for d in stored.required_documents) == ["Photo ID", "Proof of address"]
    assert [s.description for s in stored.schedules] == ["Tuesdays 9am to noon"]
    address = session.get(Location, location.id).addresses[0]
    assert (address.address_1, address.city) == ("12 Pier Rd", "Baltimore")


def test_queue_lists_open_requests_oldest_first_with_counts(app, client, session):
    first, second = _service(session, "Alpha Pantry"), _service(session, "Beta Pantry")
    for service in (first, second):
        changes.propose(
            session, target_type="service", target_id=service.id, fields={"fees": "Free."}
        )
    sign_in(app, client, make_user(session, "curator@example.org", "curator"))
    page = client.get("/curation/changes").get_data(as_text=True)
    assert "2 open, 0 decided." in page
    assert page.index("Alpha Pantry") < page.index("Beta Pantry")


def test_the_public_suggest_form_is_rate_limited(app, client, session):
    app.config["SUGGEST_RATE_LIMIT"] = "2 per minute"
    service = _service(session)
    codes = [
        client.post(f"/services/{service.id}/suggest", data={"fees": f"${n}"}).status_code
        for n in range(3)
    ]
    assert codes == [303, 303, 429]


def test_word_diff_marks_removed_and_added_words_only():
    segments = changes.word_diff("Open Monday 9am to 5pm", "Open Tuesday 9am to 6pm")
    assert ("del", "Monday") in segments and ("ins", "Tuesday") in segments
    assert ("del", "5pm") in segments and ("ins", "6pm") in segments
    assert ("same", " 9am to ") in segments


def test_organization_and_location_suggestions_apply_to_their_own_records(session):
    org = make_org(session, "Harbor Food Bank")
    location = Location(location_type="physical", name="Pier site", organization_id=org.id)
    session.add(location)
    session.flush()
    for target_type, target_id, fields in (
        ("organization", org.id, {"website": "harborfood.org", "description": ""}),
        ("location", location.id, {"address_1": "3 Dock St", "postal_code": "21202"}),
    ):
        request = changes.propose(
            session, target_type=target_type, target_id=target_id, fields=fields
        )
        changes.approve_all(session, request, "curator@example.org")
    session.expire_all()
    stored = session.get(type(org), org.id)
    assert stored.website == "harborfood.org" and stored.description == ""
    address = session.get(Location, location.id).addresses[0]
    assert (address.address_1, address.postal_code, address.address_type) == (
        "3 Dock St",
        "21202",
        "physical",
    )


def test_a_suggestion_without_the_form_token_is_refused(app, client, session):
    app.config["WTF_CSRF_ENABLED"] = True
    service = _service(session)
    response = client.post(f"/services/{service.id}/suggest", data={"fees": "Free."})
    assert response.status_code == 400
    assert session.scalars(select(changes.ChangeRequest)).first() is None


def test_an_address_change_for_a_service_now_at_two_locations_cannot_apply(session):
    service = _service(session)
    first = Location(location_type="physical", name="Main hall")
    second = Location(location_type="physical", name="Annex")
    session.add_all([first, second])
    session.flush()
    session.add(ServiceAtLocation(service_id=service.id, location_id=first.id))
    session.flush()
    session.expire(service)
    request = changes.propose(
        session, target_type="service", target_id=service.id, fields={"city": "Towson"}
    )
    session.add(ServiceAtLocation(service_id=service.id, location_id=second.id))
    session.flush()
    session.expire(service)
    field_id = request.fields[0].id
    with pytest.raises(changes.ConflictError) as refused:
        changes.decide(
            session,
            request,
            {field_id: changes.Decision(True, override_conflict=True)},
            "curator@example.org",
        )
    assert "no longer be applied" in refused.value.problems[str(field_id)]
