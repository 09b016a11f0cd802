"""The provider's side in a real browser: a referral arrives in the inbox, is opened,
accepted and completed with an outcome; a do-not-contact client's details stay hidden;
the pages pass axe and fit a 360 px phone."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from browser_helpers import click_and_wait, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from referral.accounts import users
from referral.accounts.models import utcnow
from referral.directory.models import Organization, Service, ServiceAtLocation
from referral.referrals import clients, service

pytestmark = pytest.mark.browser

CASE_MANAGER, PROVIDER = "casemanager@demo.invalid", "provider@demo.invalid"


@dataclass(frozen=True)
class Sent:
    referral_id: str
    given_name: str
    service_name: str


def provider_organization(session) -> str:
    staff = users.find_user(session, PROVIDER)
    return next(m.organization_id for m in staff.memberships if m.organization_id)


def refer_to_provider(demo_server, *, preference: str = "phone") -> Sent:
    """A client of the case manager's agency, consenting to and referred to a service of
    the organization the demo provider answers for."""
    given = f"Ines{uuid.uuid4().hex[:6]}"
    with demo_server.session() as session, session.begin():
        manager = users.find_user(session, CASE_MANAGER)
        agency = next(m.organization_id for m in manager.memberships if m.organization_id)
        provider = provider_organization(session)
        place = session.scalars(
            select(ServiceAtLocation)
            .join(Service, Service.id == ServiceAtLocation.service_id)
            .join(Organization, Organization.id == Service.organization_id)
            .where(Organization.id == provider)
            .order_by(ServiceAtLocation.id)
            .limit(1)
        ).one()
        client = clients.create_client(
            session,
            clients.NewClient(
                organization_id=agency,
                given_name=given,
                family_name="Quintero",
                birth_date=date(1985, 3, 9),
                email=f"{given.lower()}@example.org",
                phone="410-555-0199",
                contact_preference=preference,
            ),
            manager,
        )
        clients.record_consent(
            session,
            client,
            clients.NewConsent(
                purpose="referral",
                starts_on=utcnow().date(),
                method="written",
                recipient_organization_ids=(provider,),
            ),
            manager,
        )
        new = service.NewReferral(
            client.id, "food-insecurity", place.id, f"browser-{given}", note="Needs food today"
        )
        referral, _ = service.create_referral(session, new, manager, utcnow())
        return Sent(referral.id, given, place.service.name)


def _axe_violations(page) -> list[str]:  # noqa: ANN001
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()  # axe judges the page with its styles, not half of it
    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"]]


def test_the_provider_accepts_and_completes_a_referral_from_the_inbox(demo_server, page):
    sent = refer_to_provider(demo_server)
    sign_in(page, demo_server.url, PROVIDER)
    click_and_wait(page, page.get_by_role("link", name=re.compile(r"^Inbox")))
    page.wait_for_url(re.compile(r"/inbox$"))
    row = page.get_by_role("row").filter(has_text=f"{sent.given_name} Q.")
    assert row.count() == 1
    assert "Quintero" not in page.content()
    assert _axe_violations(page) == []
    click_and_wait(page, row.get_by_role("link", name=f"{sent.given_name} Q."))

    assert page.get_by_role("heading", level=1).inner_text().endswith(sent.service_name)
    expect(page.get_by_text("410-555-0199")).to_be_visible()
    assert _axe_violations(page) == []
    click_and_wait(page, page.get_by_role("button", name="Accept", exact=True))
    assert page.locator(".detail__status .badge").first.inner_text() == "Accepted"

    complete = page.locator("#action-completed")
    complete.locator("summary").click()
    complete.get_by_label("Outcome (required)").select_option("got-help")
    complete.get_by_label("Enrollment (optional)").select_option("enrolled")
    click_and_wait(page, complete.get_by_role("button", name="Complete", exact=True))
    assert page.locator(".detail__status .badge").first.inner_text() == "Completed"
    expect(page.get_by_text("Outcome: Got help").first).to_be_visible()
    history = page.locator("table.history tbody tr")
    assert history.count() == 3

    page.goto(demo_server.url + "/inbox?tab=closed")
    assert page.get_by_role("row").filter(has_text=f"{sent.given_name} Q.").count() == 1


def test_a_do_not_contact_client_shows_a_note_and_no_contact_details(demo_server, page):
    sent = refer_to_provider(demo_server, preference="do-not-contact")
    sign_in(page, demo_server.url, PROVIDER)
    page.goto(f"{demo_server.url}/referrals/{sent.referral_id}")
    expect(page.get_by_text("asked not to be contacted directly")).to_be_visible()
    html = page.content()
    assert "410-555-0199" not in html and f"{sent.given_name.lower()}@example.org" not in html


def test_the_referral_page_fits_a_phone_and_a_stale_click_keeps_the_note(
    demo_server, page, browser
):
    sent = refer_to_provider(demo_server)
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, demo_server.url, PROVIDER)
    fits = "document.documentElement.scrollWidth <= window.innerWidth"
    page.goto(f"{demo_server.url}/inbox")
    assert page.evaluate(fits), "the inbox scrolls sideways at 360 px"
    assert page.locator(".inbox-table tbody tr").first.bounding_box()["width"] <= 360
    page.goto(f"{demo_server.url}/referrals/{sent.referral_id}")
    assert page.evaluate(fits), "the referral page scrolls sideways at 360 px"
    # A colleague declines it in another browser while this page is open.
    other = browser.new_context().new_page()
    try:
        sign_in(other, demo_server.url, PROVIDER)
        other.goto(f"{demo_server.url}/referrals/{sent.referral_id}")
        decline = other.locator("#action-rejected")
        decline.locator("summary").click()
        decline.get_by_label("Reason (required)").fill("No capacity this month")
        # Declined once the page has come back, not when the click is sent: the context
        # closes next, and would take a request still in flight with it.
        click_and_wait(other, decline.get_by_role("button", name="Decline", exact=True))
    finally:
        other.context.close()
    accept = page.locator("#action-accepted")
    accept.locator("summary", has_text="Add a note").click()
    accept.get_by_label("Note for Accept (optional)").fill("Call her on Monday")
    click_and_wait(page, accept.get_by_role("button", name="Accept", exact=True))
    assert page.get_by_role("alert").filter(has_text="changed while you were looking").count()
    assert "Call her on Monday" in page.content()
    assert page.locator(".detail__status .badge").first.inner_text() == "Declined"


def test_the_api_reference_page_is_accessible_and_asks_no_other_host(demo_server, page):
    from browser_helpers import other_hosts

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_server.url + "/api/docs")
    expect(page.get_by_role("heading", name="API reference", level=1)).to_be_visible()
    link = page.get_by_role("link", name="GET /api/v1/referrals/{referral_id}", exact=True)
    assert link.count() == 1
    assert other_hosts(requested, demo_server.url) == set()
    assert _axe_violations(page) == []
