"""The provider's inbox: referrals to their organization in New, Overdue, Open and
Closed tabs, with counts, paging, a service filter and no more of the client than a
first name and an initial."""

from __future__ import annotations

from datetime import timedelta

from accounts_helpers import make_org, make_user, sign_in
from referrals_helpers import NOW, give_consent, make_client, make_place, make_world, move, send

from referral.accounts.models import utcnow
from referral.referrals import service, states
from referral.web import inbox


def _sent(session, world, key, *, due_in=timedelta(days=2)):
    referral = send(session, world, key)
    referral.respond_by = utcnow() + due_in
    session.flush()
    return referral


def test_a_new_referral_shows_in_the_new_tab_with_first_name_and_initial_only(app, client, session):
    world = make_world(session)
    _sent(session, world, "k1")
    sign_in(app, client, world.staff)
    page = client.get("/inbox")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ana L." in html
    assert "Lopez" not in html
    assert "555-0100" not in html and "ana@example.org" not in html
    assert "Food" in html  # the need, in words
    assert f"{world.provider.name} pantry" in html
    assert 'aria-current="page"' in html and "New" in html


def test_tabs_split_new_overdue_open_and_closed_and_count_each(session):
    world = make_world(session)
    _sent(session, world, "new")
    _sent(session, world, "late", due_in=-timedelta(hours=3))
    accepted = _sent(session, world, "open")
    move(session, world, accepted, states.ACCEPTED)
    declined = _sent(session, world, "closed")
    move(session, world, declined, states.REJECTED, reason="no capacity")
    send(session, world, "draft", send_now=False)  # drafts never reach the provider
    counts = inbox.tab_counts(session, [world.provider.id], utcnow())
    assert counts == {"new": 1, "overdue": 1, "open": 1, "closed": 1}
    found = inbox.inbox_page(session, [world.provider.id], inbox.OVERDUE, utcnow())
    assert [row.overdue for row in found.rows] == [True]


def test_the_overdue_tab_flags_rows_and_the_page_shows_relative_and_absolute_times(
    app, client, session
):
    world = make_world(session)
    _sent(session, world, "late", due_in=-timedelta(days=3))
    sign_in(app, client, world.staff)
    html = client.get("/inbox?tab=overdue").get_data(as_text=True)
    assert "inbox-row--overdue" in html
    assert "3 days ago" in html
    assert " UTC" in html


def test_the_inbox_pages_through_long_lists(app, client, session):
    world = make_world(session)
    for n in range(inbox.PER_PAGE + 3):
        _sent(session, world, f"k{n}")
    sign_in(app, client, world.staff)
    first = client.get("/inbox").get_data(as_text=True)
    second = client.get("/inbox?page=2").get_data(as_text=True)
    assert first.count("Ana L.") == inbox.PER_PAGE
    assert second.count("Ana L.") == 3
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_inbox_filters_by_service(app, client, session):
    world = make_world(session)
    _sent(session, world, "pantry")
    other_place = make_place(session, world.provider)
    other_place.service.name = "Hot meals"
    other = service.NewReferral(world.client.id, "food-insecurity", other_place.id, "meals")
    meals, _ = service.create_referral(session, other, world.case_manager, NOW)
    meals.respond_by = utcnow() + timedelta(days=1)
    session.flush()
    sign_in(app, client, world.staff)
    everything = client.get("/inbox").get_data(as_text=True)
    only = client.get(f"/inbox?service={other_place.service_id}").get_data(as_text=True)
    assert everything.count("Ana L.") == 2
    assert only.count("Ana L.") == 1 and "Hot meals" in only


def test_staff_see_only_referrals_to_their_own_organization(app, client, session):
    world = make_world(session)
    _sent(session, world, "mine")
    elsewhere = make_org(session, "Hilltop Shelter")
    place = make_place(session, elsewhere)
    other = make_client(session, world.agency, given="Berta", family="Ruiz")
    give_consent(session, other, elsewhere)
    new = service.NewReferral(other.id, "housing-instability", place.id, "theirs")
    service.create_referral(session, new, world.case_manager, NOW)
    sign_in(app, client, world.staff)
    html = client.get("/inbox").get_data(as_text=True)
    assert "Ana L." in html and "Berta" not in html


def test_a_case_manager_has_no_inbox_and_no_inbox_link(app, client, session):
    world = make_world(session)
    sign_in(app, client, world.case_manager)
    assert client.get("/inbox").status_code == 403
    assert 'href="/inbox"' not in client.get("/account").get_data(as_text=True)


def test_the_nav_shows_the_inbox_with_the_count_waiting_for_an_answer(app, client, session):
    world = make_world(session)
    _sent(session, world, "a")
    _sent(session, world, "b", due_in=-timedelta(hours=1))
    sign_in(app, client, world.staff)
    html = client.get("/account").get_data(as_text=True)
    assert 'href="/inbox"' in html
    assert '<span class="nav-badge">2<' in html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/inbox")
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")


def test_staff_of_two_organizations_see_both_with_the_organization_named(app, client, session):
    world = make_world(session)
    _sent(session, world, "first")
    second = make_world(session, tag="-2")
    _sent(session, second, "second")
    staff = make_user(session, "both@example.org", "provider_staff", world.provider.id)
    from referral.accounts.models import Membership

    staff.memberships.append(Membership(role="provider_staff", organization_id=second.provider.id))
    session.flush()
    sign_in(app, client, staff)
    html = client.get("/inbox").get_data(as_text=True)
    assert html.count("Ana L.") == 2
    assert second.provider.name in html


def test_times_are_written_in_the_readers_language(app, client, session):
    world = make_world(session)
    _sent(session, world, "late", due_in=-timedelta(days=3))
    sign_in(app, client, world.staff)
    html = client.get("/inbox?tab=overdue&lang=es").get_data(as_text=True)
    assert "hace 3 días" in html
