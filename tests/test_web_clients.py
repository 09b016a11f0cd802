"""The case manager's client pages: list, new client with duplicates, client page,
editing, consent, assessments from the match page and referring from a result."""

from __future__ import annotations

import re

import pytest
from accounts_helpers import make_org, make_user, sign_in
from referrals_helpers import NEED, make_client, make_place, make_world
from sqlalchemy import func, select

from referral.accounts import audit
from referral.accounts.models import SecurityAuditEvent
from referral.referrals.models import Assessment, Client, ClientFact, Consent, Referral


@pytest.fixture
def world(session):
    return make_world(session, tag="-web")


@pytest.fixture
def cm(app, client, world):
    sign_in(app, client, world.case_manager)
    return client


def html(response) -> str:
    return response.get_data(as_text=True)


def test_client_list_shows_only_my_organizations_clients_newest_first(session, cm, world):
    make_client(session, world.agency, given="Beatriz", family="Nunez")
    elsewhere = make_org(session, "Other Agency")
    make_client(session, elsewhere, given="Zelda", family="Stranger")
    page = html(cm.get("/clients"))
    assert "Beatriz Nunez" in page and "Ana Lopez" in page
    assert "Zelda" not in page
    assert page.index("Beatriz Nunez") < page.index("Ana Lopez")


def test_client_list_searches_by_name(session, cm, world):
    make_client(session, world.agency, given="Beatriz", family="Nunez")
    page = html(cm.get("/clients?q=nun"))
    assert "Beatriz Nunez" in page and "Ana Lopez" not in page


def test_creating_a_client_flags_a_possible_duplicate_with_a_link(session, cm, world):
    response = cm.post(
        "/clients/new",
        data={
            "given_name": "Ana",
            "family_name": "López",
            "birth_date": "1980-05-17",
            "phone": "555 0100 22",
            "preferred_language": "es",
            "contact_preference": "text",
        },
    )
    assert response.status_code == 303
    created = session.scalar(select(Client).where(Client.family_name == "López"))
    assert created is not None and created.contact_preference == "text"
    page = html(cm.get(response.headers["Location"]))
    assert "Possible duplicate" in page
    assert f'href="/clients/{world.client.id}"' in page


def test_a_client_form_with_mistakes_says_what_is_wrong_beside_each_field(cm):
    response = cm.post(
        "/clients/new",
        data={"given_name": "", "family_name": "Diaz", "birth_date": "2999-01-01",
              "contact_preference": "email"},
    )  # fmt: skip
    page = html(response)
    assert response.status_code == 400
    assert 'role="alert"' in page
    assert "Enter the client&#39;s name." in page
    assert "Enter a date of birth in the past." in page
    assert 'id="f-email-error"' in page and 'aria-invalid="true"' in page


def test_client_page_shows_details_consent_and_audits_the_read(session, cm, world):
    page = html(cm.get(f"/clients/{world.client.id}"))
    assert "<h1>Ana Lopez</h1>" in page
    assert "Harbor Food Bank-web" in page  # the consent's recipient, by name
    assert "In force" in page and "Record consent" in page
    reads = session.scalar(
        select(func.count())
        .select_from(SecurityAuditEvent)
        .where(SecurityAuditEvent.event_type == audit.CLIENT_RECORD_READ)
    )
    assert reads >= 1


def test_another_organizations_case_manager_is_refused_the_client_page(app, session, world):
    outsider_org = make_org(session, "Elsewhere")
    outsider = make_user(session, "outsider@example.org", "case_manager", outsider_org.id)
    other = app.test_client()
    sign_in(app, other, outsider)
    assert other.get(f"/clients/{world.client.id}").status_code == 403
    assert other.get("/clients/no-such-client").status_code == 404
    assert "Ana Lopez" not in html(other.get("/clients"))


def test_provider_staff_cannot_open_client_pages(app, world):
    staff = app.test_client()
    sign_in(app, staff, world.staff)
    assert staff.get(f"/clients/{world.client.id}").status_code == 403
    assert staff.get("/clients").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(f"/clients/{world.client.id}")
    assert response.status_code == 303 and "/login" in response.headers["Location"]


def test_editing_a_client_saves_the_new_contact_preference(session, cm, world):
    response = cm.post(
        f"/clients/{world.client.id}/edit",
        data={"given_name": "Ana", "family_name": "Lopez", "birth_date": "1980-05-17",
              "phone": "555-0100", "contact_preference": "do-not-contact"},
    )  # fmt: skip
    assert response.status_code == 303
    session.refresh(world.client)
    assert world.client.contact_preference == "do-not-contact"


def test_recording_and_revoking_consent_from_the_client_page(session, cm, world):
    other_provider = make_org(session, "Riverside Pantry")
    response = cm.post(
        f"/clients/{world.client.id}/consents",
        data={"recipient": other_provider.id, "purpose": "referral", "method": "verbal",
              "starts_on": "2026-01-01"},
    )  # fmt: skip
    assert response.status_code == 303
    consents = session.scalars(select(Consent).where(Consent.client_id == world.client.id))
    consent = next(c for c in consents if c.id != world.consent.id)
    assert consent.recipient_organization_ids == [other_provider.id]
    assert consent.obtained_by_id == world.case_manager.id
    response = cm.post(
        f"/clients/{world.client.id}/consents/{consent.id}/revoke", data={"reason": "asked to"}
    )
    assert response.status_code == 303
    session.refresh(consent)
    assert consent.revoked_at is not None and consent.revocation_reason == "asked to"


def test_a_consent_without_recipients_is_refused_with_a_message(cm, world):
    response = cm.post(
        f"/clients/{world.client.id}/consents", data={"purpose": "referral", "method": "verbal"}
    )
    assert response.status_code == 400
    assert "Choose at least one organization or kind of need" in html(response)


def _refer(cm, world, key="double-click-key", place=None):
    return cm.post(
        f"/clients/{world.client.id}/referrals",
        data={"need": NEED, "service_at_location_id": place or world.place.id,
              "idempotency_key": key, "note": "Needs groceries this week"},
    )  # fmt: skip


def test_refer_sends_the_referral_and_returns_to_the_client_page(session, cm, world):
    response = _refer(cm, world)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/clients/{world.client.id}#referrals")
    referral = session.scalar(select(Referral).where(Referral.client_id == world.client.id))
    assert referral.status == "requested" and referral.note == "Needs groceries this week"
    page = html(cm.get(f"/clients/{world.client.id}"))
    assert "Referral to Harbor Food Bank-web pantry sent." in page
    assert f'href="/referrals/{referral.id}"' in page


def test_a_double_submitted_refer_form_makes_one_referral(session, cm, world):
    assert _refer(cm, world).status_code == 303
    second = _refer(cm, world)
    assert second.status_code == 303
    count = session.scalar(
        select(func.count()).select_from(Referral).where(Referral.client_id == world.client.id)
    )
    assert count == 1
    assert "already sent" in html(cm.get(second.headers["Location"]))


def test_refer_without_covering_consent_explains_and_creates_nothing(session, app):
    bare = make_world(session, consent=False, tag="-noconsent")
    browser = app.test_client()
    sign_in(app, browser, bare.case_manager)
    response = _refer(browser, bare)
    page = html(response)
    assert response.status_code == 422
    assert "has not given consent" in page
    assert f"/clients/{bare.client.id}?recipient={bare.provider.id}" in page
    assert session.scalar(select(func.count()).select_from(Referral)) == 0


def test_another_organization_cannot_refer_my_client(app, session, world):
    outsider_org = make_org(session, "Elsewhere")
    outsider = make_user(session, "outsider2@example.org", "case_manager", outsider_org.id)
    other = app.test_client()
    sign_in(app, other, outsider)
    assert _refer(other, world).status_code == 403
    assert session.scalar(select(func.count()).select_from(Referral)) == 0


def test_running_the_match_for_a_client_saves_an_assessment_and_facts(session, cm, world):
    response = cm.post(
        "/match",
        data={"client": world.client.id, "need": NEED, "detail-" + NEED: "groceries",
              "age": "67", "household_size": "2", "veteran": "yes", "languages": "es"},
    )  # fmt: skip
    assert response.status_code == 303
    assessment = session.scalar(select(Assessment).where(Assessment.client_id == world.client.id))
    assert assessment.needs[0]["domain"] == NEED and assessment.needs[0]["detail"] == "groceries"
    assert assessment.facts == {
        "age": 67,
        "household_size": 2,
        "veteran": True,
        "languages": ["es"],
    }
    assert assessment.created_by_id == world.case_manager.id
    facts = session.scalars(select(ClientFact).where(ClientFact.client_id == world.client.id))
    assert {f.name: f.value for f in facts}["age"] == 67
    assert f"assessment={assessment.id}" in response.headers["Location"]
    page = html(cm.get(f"/clients/{world.client.id}"))
    assert "Assessments" in page and "groceries" in page and "Age: 67" in page


def test_the_match_page_for_a_client_starts_from_the_latest_facts(session, cm, world):
    cm.post("/match", data={"client": world.client.id, "need": NEED, "age": "41", "near": "33101"})
    page = html(cm.get(f"/match?client={world.client.id}"))
    assert re.search(r'id="f-age"[^>]*value="41"', page)
    assert re.search(r'id="f-near"[^>]*value="33101"', page)
    assert 'name="client"' in page and "Find services" in page


def test_a_match_for_a_client_with_bad_facts_saves_nothing(session, cm, world):
    response = cm.post("/match", data={"client": world.client.id, "need": NEED, "age": "-3"})
    assert response.status_code == 400
    assert session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_the_match_page_for_another_organizations_client_is_refused(app, session, world):
    outsider_org = make_org(session, "Elsewhere")
    outsider = make_user(session, "outsider3@example.org", "case_manager", outsider_org.id)
    other = app.test_client()
    sign_in(app, other, outsider)
    assert other.get(f"/match?client={world.client.id}").status_code == 403
    response = other.post("/match", data={"client": world.client.id, "need": NEED})
    assert response.status_code == 403


def test_the_match_page_without_a_client_offers_to_choose_or_create_one(cm):
    page = html(cm.get("/match"))
    assert 'href="/clients"' in page and 'href="/clients/new"' in page
    assert "choose a client" in page


def test_the_match_page_for_anonymous_visitors_does_not_mention_clients(client):
    assert "choose a client" not in html(client.get("/match"))


def test_a_consent_that_starts_later_can_be_revoked_before_it_starts(session, cm, world):
    cm.post(
        f"/clients/{world.client.id}/consents",
        data={"category": NEED, "purpose": "referral", "method": "written",
              "starts_on": "2999-01-01"},
    )  # fmt: skip
    page = html(cm.get(f"/clients/{world.client.id}"))
    assert "Not yet in force" in page
    assert page.count(">Revoke consent</button>") == 2


def test_the_client_list_is_paged(session, cm, world):
    for n in range(30):
        make_client(session, world.agency, given=f"Person{n:02d}", family="Paged", birth_date=None)
    first = html(cm.get("/clients"))
    assert "Page 1 of 2" in first and 'href="/clients?page=2"' in first
    assert "Ana Lopez" in html(cm.get("/clients?page=2"))


def test_consent_covers_tells_which_results_can_be_referred_now(app, session, world):
    from referral.web.client_actions import ClientChoice

    other = make_place(session, make_org(session, "No Consent Org"))
    choice = ClientChoice(world.client, None, None, True)
    with app.app_context():
        assert choice.consent_covers(world.place.id, NEED)
        assert not choice.consent_covers(other.id, NEED)
