"""The closed loop in a real browser, as people do it: a case manager creates a client
with consent, matches them to services and refers from a result; the provider finds
the referral in the inbox, accepts it and completes it with the outcome "got help";
the case manager then sees it closed on the client page and in their referrals."""

from __future__ import annotations

import re
import uuid

import pytest
from browser_helpers import click_and_wait, sign_in, sign_out
from playwright.sync_api import expect
from sqlalchemy import select

from referral.accounts import audit, users
from referral.directory.models import Service, ServiceAtLocation

pytestmark = pytest.mark.browser

CASE_MANAGER, PROVIDER = "casemanager@demo.invalid", "provider@demo.invalid"
FOOD = "Food insecurity"


def _organization_of_place(demo_server, place_id: str) -> str:
    with demo_server.session() as session:
        return session.scalars(
            select(Service.organization_id)
            .join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
            .where(ServiceAtLocation.id == place_id)
        ).one()


def _provider_answers_for(demo_server, organization_id: str) -> None:
    """Arrange: the demo provider is staff of the organization the case manager chose
    (a no-op when it already is)."""
    with demo_server.session() as session, session.begin():
        provider = users.find_user(session, PROVIDER)
        context = audit.Context(actor="e2e-test")
        users.grant_role(session, context, provider, "provider_staff", organization_id)


def _create_client_with_consent(page, base_url: str, given: str) -> str:
    page.goto(base_url + "/clients/new")
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label("Date of birth").fill("1979-04-02")
    page.get_by_label("Phone", exact=True).fill("410-555-0142")
    click_and_wait(page, page.get_by_role("button", name="Create client"))
    assert page.get_by_role("heading", level=1).inner_text() == f"{given} Okafor"
    client_url = page.url.split("?")[0]
    page.locator("summary", has_text="Or any provider for these needs").click()
    page.locator("#c-category").get_by_label(FOOD, exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Record consent"))
    expect(page.get_by_text("In force").first).to_be_visible()
    return client_url


def _match_and_refer(page, demo_server) -> str:
    """Run the match for food near downtown Baltimore and refer from a result (one of
    the demo provider's organization when the list has one). Returns the service name."""
    click_and_wait(
        page, page.locator("main").get_by_role("link", name="Find services", exact=True).first
    )
    page.locator("#f-need").get_by_label(FOOD, exact=True).check()
    page.get_by_label("ZIP code or latitude,longitude").fill("21201")
    click_and_wait(page, page.get_by_role("button", name="Find services"))
    forms = page.locator("form.refer-form")
    assert forms.count() > 0, "the match found nothing to refer to"
    with demo_server.session() as session:
        provider = users.find_user(session, PROVIDER)
        own = {m.organization_id for m in provider.memberships}
    places = [
        forms.nth(i).locator("input[name=service_at_location_id]").get_attribute("value")
        for i in range(forms.count())
    ]
    organizations = [_organization_of_place(demo_server, place) for place in places]
    chosen = next((i for i, org in enumerate(organizations) if org in own), 0)
    _provider_answers_for(demo_server, organizations[chosen])
    form = forms.nth(chosen)
    service_name = re.sub(r"^Refer to ", "", form.get_by_role("button").get_attribute("aria-label"))
    form.get_by_label("Note for the provider (optional)").fill("Family of four, no car")
    click_and_wait(page, form.get_by_role("button"))
    return service_name


def test_a_referral_goes_round_the_loop_and_the_case_manager_sees_it_closed(demo_server, page):
    given = f"Amara{uuid.uuid4().hex[:5]}"
    base = demo_server.url

    sign_in(page, base, CASE_MANAGER)
    client_url = _create_client_with_consent(page, base, given)
    service_name = _match_and_refer(page, demo_server)
    referrals = page.locator("#referrals")
    assert referrals.get_by_role("link", name=service_name).count() >= 1
    assert "Requested" in referrals.inner_text()
    sign_out(page)

    sign_in(page, base, PROVIDER)
    click_and_wait(page, page.get_by_role("link", name=re.compile(r"^Inbox")))
    row = page.get_by_role("row").filter(has_text=f"{given} O.")
    assert row.count() == 1
    assert "Okafor" not in page.content()
    click_and_wait(page, row.get_by_role("link"))
    expect(page.get_by_text("Family of four, no car").first).to_be_visible()
    click_and_wait(page, page.get_by_role("button", name="Accept", exact=True))
    complete = page.locator("#action-completed")
    complete.locator("summary").click()
    complete.get_by_label("Outcome (required)").select_option("got-help")
    click_and_wait(page, complete.get_by_role("button", name="Complete", exact=True))
    assert page.locator(".detail__status .badge").first.inner_text() == "Completed"
    sign_out(page)

    sign_in(page, base, CASE_MANAGER)
    page.goto(client_url)
    on_client_page = page.locator("#referrals").inner_text()
    assert "Completed" in on_client_page and "Got help" in on_client_page
    page.goto(base + "/referrals?tab=closed")
    row = page.get_by_role("row").filter(has_text=f"{given} Okafor")
    assert row.count() == 1
    assert "Completed" in row.inner_text() and "Got help" in row.inner_text()
    click_and_wait(page, row.get_by_role("link", name=service_name))
    history = page.locator("table.history").inner_text()
    assert "Accepted → Completed" in history and "Outcome: Got help" in history
