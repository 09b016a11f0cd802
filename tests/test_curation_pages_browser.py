"""In a real browser: someone without an account suggests an edit, a curator reviews
it field by field, and the listing shows only the approved change."""

from __future__ import annotations

import uuid

import pytest
from browser_helpers import click_and_wait, sign_in, sign_out
from playwright.sync_api import expect

from referral.directory.models import Organization, Service


@pytest.mark.browser
def test_a_curator_reviews_a_public_suggestion_field_by_field(demo_server, page):
    tag = uuid.uuid4().hex[:6]
    with demo_server.session() as s, s.begin():
        org = Organization(name=f"Pier Pantry {tag}", description="Feeds the pier.")
        s.add(org)
        s.flush()
        service = Service(
            name=f"Pier groceries {tag}",
            description="Groceries on Mondays.",
            status="active",
            organization_id=org.id,
        )
        s.add(service)
        s.flush()
        service_id = service.id
    base = demo_server.url

    page.goto(f"{base}/services/{service_id}")
    click_and_wait(page, page.get_by_role("link", name="Suggest an edit"))
    page.get_by_label("Description").fill("Groceries on Mondays and Fridays.")
    page.get_by_label("Fees").fill("Two dollars a bag.")
    page.get_by_label("Your email").fill("neighbour@example.org")
    click_and_wait(page, page.get_by_role("button", name="Send suggestion"))
    expect(page.get_by_role("heading", name="Thank you for your suggestion")).to_be_visible()

    sign_in(page, base, "curator@demo.invalid")
    page.goto(f"{base}/curation/changes")
    click_and_wait(page, page.get_by_role("link", name=f"Pier groceries {tag}"))
    expect(page.locator("ins", has_text="and Fridays")).to_have_count(1)
    page.get_by_role("group", name="Decision on Description").get_by_label(
        "Approve and apply"
    ).check()
    fees = page.get_by_role("group", name="Decision on Fees")
    fees.get_by_label("Reject").check()
    fees.get_by_label("Reason").fill("The pantry is free.")
    click_and_wait(page, page.get_by_role("button", name="Save decisions"))
    expect(page.get_by_text("Your decisions were saved.")).to_be_visible()
    expect(page.get_by_text("The pantry is free.")).to_be_visible()
    sign_out(page)

    page.goto(f"{base}/services/{service_id}")
    assert page.get_by_text("Groceries on Mondays and Fridays.").is_visible()
    assert page.get_by_text("Two dollars a bag.").count() == 0
