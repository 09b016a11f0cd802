"""The case manager's pages in a real browser: create a client, record consent, run a
match for the client, refer from a result in one step, find the referral on the client
page and in "My referrals", and open the list to share with the client."""

from __future__ import annotations

import re
import uuid

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_helpers import click_and_wait, page_through_to, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CASE_MANAGER = "casemanager@demo.invalid"
FOOD = "Food insecurity"


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation on the page as it is now, once loaded
    (axe on a page whose styles are still coming would judge the wrong page)."""
    page.wait_for_load_state()
    violations = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == [], page.url


def test_a_case_manager_refers_from_a_match_and_shares_the_list(demo_server, page):
    base, given = demo_server.url, f"Lucia{uuid.uuid4().hex[:5]}"
    sign_in(page, base, CASE_MANAGER)
    click_and_wait(
        page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients")
    )
    click_and_wait(page, page.get_by_role("link", name="New client"))
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill("Herrera")
    page.get_by_label("Date of birth").fill("1986-02-11")
    page.get_by_label("Phone", exact=True).fill("410-555-0199")
    page.get_by_label("Preferred language").select_option("es")
    page.get_by_label("By text message").check()
    click_and_wait(page, page.get_by_role("button", name="Create client"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{given} Herrera")
    client_url = page.url.split("?")[0]

    page.locator("summary", has_text="Or any provider for these needs").click()
    page.locator("#c-category").get_by_label(FOOD, exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Record consent"))
    expect(page.get_by_text("Consent recorded.")).to_be_visible()
    assert_accessible(page)

    click_and_wait(
        page, page.locator("main").get_by_role("link", name="Find services", exact=True).first
    )
    expect(page.locator(".client-banner")).to_contain_text(given)
    page.locator("#f-need").get_by_label(FOOD, exact=True).check()
    page.get_by_label("ZIP code or latitude,longitude").fill("21201")
    page.get_by_label("Age", exact=True).fill("40")
    click_and_wait(page, page.get_by_role("button", name="Find services"))
    refer_forms = page.locator("form.refer-form")
    assert refer_forms.count() > 0
    assert_accessible(page)
    first = refer_forms.first
    service_name = re.sub(
        r"^Refer to ", "", first.get_by_role("button").get_attribute("aria-label")
    )
    page.get_by_label("Add to list for client").first.check()
    first.get_by_label("Note for the provider (optional)").fill("Prefers mornings")
    first.get_by_role("button", name="Refer").dblclick()
    # The second click may abort the first submission on its way (then wait_for_url
    # fails on that aborted navigation): wait for where the page ends up instead.
    expect(page).to_have_url(re.compile(r"/clients/[^/?#]+#referrals$"))
    page.wait_for_load_state()
    expect(page.get_by_text(f"Referral to {service_name}").first).to_be_visible()
    referrals = page.locator("#referrals")
    assert referrals.get_by_role("link", name=service_name).count() == 1  # one, not two
    assert "Requested" in referrals.inner_text()
    assessments = page.locator("#assessments").inner_text()
    assert FOOD in assessments and "Age: 40" in assessments

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals").click()
    page.wait_for_url(re.compile(r"/referrals$"))  # count() does not wait for the new page
    row = page_through_to(page, page.get_by_role("row").filter(has_text=f"{given} Herrera"))
    assert row.count() == 1 and service_name in row.inner_text()

    page.goto(client_url)
    click_and_wait(page, page.locator("main").get_by_role("link", name="Share with client"))
    page.get_by_label(re.compile(re.escape(service_name))).first.check()
    click_and_wait(page, page.get_by_role("button", name="Share with client"))
    expect(page.get_by_role("heading", name=f"Servicios para {given}")).to_be_visible()
    assert "Hola " + given in page.locator("pre.share-text").first.inner_text()
    assert_accessible(page)
    click_and_wait(page, page.get_by_role("button", name="Send to client"))
    expect(page.get_by_text("Text message queued for 410-555-0199.")).to_be_visible()
