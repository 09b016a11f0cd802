"""'My referrals': open ones with overdue first, then by respond-by; closed ones on a
second tab; filters; only the referring organization's case managers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from accounts_helpers import make_org, make_user, sign_in
from referrals_helpers import NOW, make_client, make_place, make_world, move, send

from referral.accounts.models import utcnow


@pytest.fixture
def world(session):
    return make_world(session, tag="-list")


def _page(app, client, user, query: str = "") -> str:
    sign_in(app, client, user)
    response = client.get("/referrals" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_open_referrals_list_overdue_first_then_by_respond_by(app, client, session, world):
    overdue = send(session, world, "k-overdue")  # sent on NOW, a day in the past: overdue
    later = send(session, world, "k-later")
    sooner = send(session, world, "k-sooner")
    later.respond_by = utcnow() + timedelta(days=5)
    sooner.respond_by = utcnow() + timedelta(days=1)
    session.flush()
    page = _page(app, client, world.case_manager)
    ids = [overdue.id, sooner.id, later.id]
    positions = [page.index(f"/referrals/{i}") for i in ids]
    assert positions == sorted(positions)
    assert page.count("Overdue</span>") == 1


def test_closed_referrals_are_on_their_own_tab(app, client, session, world):
    open_one = send(session, world, "k-open")
    closed = send(session, world, "k-closed")
    move(session, world, closed, "cancelled", reason="client moved away")
    page = _page(app, client, world.case_manager)
    assert f"/referrals/{open_one.id}" in page and f"/referrals/{closed.id}" not in page
    closed_page = client.get("/referrals?tab=closed").get_data(as_text=True)
    assert (
        f"/referrals/{closed.id}" in closed_page and f"/referrals/{open_one.id}" not in closed_page
    )


def test_filters_by_need_and_sent_by_me(app, client, session, world):
    mine = send(session, world, "k-mine")
    colleague = make_user(session, "colleague-list@example.org", "case_manager", world.agency.id)
    page = _page(app, client, colleague, "?mine=1")
    assert f"/referrals/{mine.id}" not in page
    page = client.get("/referrals").get_data(as_text=True)
    assert f"/referrals/{mine.id}" in page
    page = client.get("/referrals?need=housing-instability").get_data(as_text=True)
    assert f"/referrals/{mine.id}" not in page


def test_other_organizations_referrals_are_not_listed(app, client, session, world):
    other = make_world(session, tag="-list-other")
    theirs = send(session, other, "k-theirs")
    page = _page(app, client, world.case_manager)
    assert f"/referrals/{theirs.id}" not in page
    assert "Ana Lopez" not in page


def test_provider_staff_and_anonymous_visitors_cannot_open_the_list(app, client, world):
    sign_in(app, client, world.staff)
    assert client.get("/referrals").status_code == 403
    anonymous = app.test_client()
    response = anonymous.get("/referrals")
    assert response.status_code == 303 and "/login" in response.headers["Location"]


def test_the_list_shows_client_service_and_status(app, client, session, world):
    referral = send(session, world, "k-show")
    page = _page(app, client, world.case_manager)
    assert "Ana Lopez" in page and "Harbor Food Bank-list pantry" in page
    assert f'href="/clients/{referral.client_id}"' in page


def test_a_case_manager_in_two_organizations_sees_both(app, client, session, world):
    second = make_org(session, "Second Agency list")
    world.case_manager.memberships.append(
        type(world.case_manager.memberships[0])(role="case_manager", organization_id=second.id)
    )
    session.flush()
    other_client = make_client(session, second, world.case_manager, given="Maria", family="Soto")
    place = make_place(session, world.provider)
    from referral.referrals import clients, service

    clients.record_consent(
        session,
        other_client,
        clients.NewConsent("referral", NOW.date(), "written", None, (world.provider.id,)),
        world.case_manager,
    )
    new = service.NewReferral(other_client.id, "food-insecurity", place.id, "k-second")
    service.create_referral(session, new, world.case_manager, NOW)
    send(session, world, "k-first")
    page = _page(app, client, world.case_manager)
    assert "Maria Soto" in page and "Ana Lopez" in page
