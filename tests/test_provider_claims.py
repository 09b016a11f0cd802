"""Claiming an organization: automatic approval on a verified email at the
organization's web domain, email verification by signed link, curator review."""

from __future__ import annotations

import re

import pytest
from accounts_helpers import make_org, make_user, sign_in
from sqlalchemy import select

from referral.accounts.models import PROVIDER_STAFF, utcnow
from referral.notify.models import OutboxMessage
from referral.provider import claims
from referral.provider.models import OrganizationClaim


@pytest.fixture
def harbor(session):
    organization = make_org(session, "Harbor Food Bank")
    organization.website = "https://www.harborfood.org/about"
    session.flush()
    return organization


def staff_of(user, organization) -> bool:
    return any(
        m.role == PROVIDER_STAFF and m.organization_id == organization.id for m in user.memberships
    )


@pytest.mark.parametrize(
    ("email", "website", "expected"),
    [
        ("pat@harborfood.org", "https://www.harborfood.org", True),
        ("pat@mail.harborfood.org", "harborfood.org", True),
        ("pat@HarborFood.org", "http://HARBORFOOD.org/x", True),
        ("pat@gmail.com", "https://gmail.com", False),
        ("pat@city.gov", "https://foodbank.city.gov", False),
        ("pat@harborfood.org.evil.com", "https://harborfood.org", False),
        ("pat@harborfood.org", None, False),
        ("pat@yahoo.com", "https://sites.yahoo.com/harbor", False),
    ],
)
def test_email_domain_matching_excludes_generic_mail_and_parent_domains(email, website, expected):
    assert claims.domain_matches(email, website) is expected


def test_a_verified_address_at_the_organizations_domain_is_approved_at_once(
    app, client, session, harbor
):
    user = make_user(session, "pat@harborfood.org")
    user.email_verified_at = utcnow()
    session.flush()
    sign_in(app, client, user)
    response = client.post(f"/organizations/{harbor.id}/claim", data={"message": "I run intake"})
    assert response.status_code == 303
    session.refresh(user)
    assert staff_of(user, harbor)
    claim = session.scalars(select(OrganizationClaim)).one()
    assert (claim.status, claim.decision_method) == ("approved", "email-domain")


def test_an_unverified_address_waits_until_the_emailed_link_is_confirmed(
    app, client, session, harbor
):
    user = make_user(session, "sam@harborfood.org")
    sign_in(app, client, user)
    client.post(f"/organizations/{harbor.id}/claim", data={"message": ""})
    session.refresh(user)
    assert not staff_of(user, harbor)
    assert client.post("/account/email/verify").status_code == 303
    message = session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == user.email)
    ).one()
    token = re.search(r"/account/email/verify/(\S+)", message.body).group(1)
    page = client.get(f"/account/email/verify/{token}")
    assert page.status_code == 200 and b"Confirm my email address" in page.data
    session.refresh(user)
    assert user.email_verified_at is None  # opening the link (GET) changes nothing
    assert client.post(f"/account/email/verify/{token}").status_code == 303
    session.refresh(user)
    assert user.email_verified_at is not None
    assert staff_of(user, harbor)
    assert client.post(f"/account/email/verify/{token}").status_code == 410  # single use


def test_a_claim_from_a_generic_mail_address_goes_to_a_curator_who_approves_it(
    app, session, harbor
):
    user = make_user(session, "harbor.volunteer@gmail.com")
    user.email_verified_at = utcnow()
    curator = make_user(session, "cory@example.org", "curator")
    asking = app.test_client()
    sign_in(app, asking, user)
    asking.post(f"/organizations/{harbor.id}/claim", data={"message": "Volunteer coordinator"})
    session.refresh(user)
    assert not staff_of(user, harbor)

    reviewing = app.test_client()
    sign_in(app, reviewing, curator)
    queue = reviewing.get("/curation/claims")
    assert queue.status_code == 200 and b"Volunteer coordinator" in queue.data
    claim = session.scalars(select(OrganizationClaim)).one()
    response = reviewing.post(f"/curation/claims/{claim.id}", data={"decision": "approve"})
    assert response.status_code == 303
    session.refresh(user)
    session.refresh(claim)
    assert staff_of(user, harbor)
    assert (claim.status, claim.decision_method, claim.decided_by) == (
        "approved",
        "curator",
        "cory@example.org",
    )


def test_rejecting_a_claim_needs_a_reason_and_grants_nothing(app, client, session, harbor):
    user = make_user(session, "someone@gmail.com")
    curator = make_user(session, "cory@example.org", "curator")
    session.add(OrganizationClaim(organization_id=harbor.id, user_id=user.id, created_at=utcnow()))
    session.flush()
    claim = session.scalars(select(OrganizationClaim)).one()
    sign_in(app, client, curator)
    no_reason = client.post(f"/curation/claims/{claim.id}", data={"decision": "reject"})
    assert no_reason.status_code == 422 and b'role="alert"' in no_reason.data
    client.post(
        f"/curation/claims/{claim.id}", data={"decision": "reject", "note": "Unknown to the org"}
    )
    session.refresh(claim)
    session.refresh(user)
    assert claim.status == "rejected" and not staff_of(user, harbor)


def test_several_staff_can_manage_one_organization(app, session, harbor):
    for email in ("a@harborfood.org", "b@harborfood.org"):
        user = make_user(session, email)
        user.email_verified_at = utcnow()
        session.flush()
        browser = app.test_client()
        sign_in(app, browser, user)
        browser.post(f"/organizations/{harbor.id}/claim", data={})
        session.refresh(user)
        assert staff_of(user, harbor)


def test_only_curators_see_the_claim_queue(app, client, session, harbor):
    sign_in(app, client, make_user(session, "staff@harborfood.org", "provider_staff", harbor.id))
    assert client.get("/curation/claims").status_code == 403


def test_asking_twice_says_the_first_request_is_waiting(app, client, session, harbor):
    sign_in(app, client, make_user(session, "twice@gmail.com"))
    client.post(f"/organizations/{harbor.id}/claim", data={})
    again = client.post(f"/organizations/{harbor.id}/claim", data={})
    assert again.status_code == 422 and b"waiting for a curator" in again.data


def test_the_organization_page_offers_managing_it_and_staff_see_edit_links(app, session, harbor):
    from accounts_helpers import make_service

    service = make_service(session, harbor)
    visitor = app.test_client()
    page = visitor.get(f"/organizations/{harbor.id}")
    assert f"/organizations/{harbor.id}/claim".encode() in page.data
    staff = app.test_client()
    sign_in(app, staff, make_user(session, "staff@harborfood.org", "provider_staff", harbor.id))
    edit_link = f"/provider/services/{service.id}/edit".encode()
    assert edit_link in staff.get(f"/services/{service.id}").data
    assert b"/provider" in staff.get(f"/organizations/{harbor.id}").data
    assert edit_link not in visitor.get(f"/services/{service.id}").data
