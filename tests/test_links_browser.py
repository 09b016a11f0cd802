"""A provider declines a referral from the emailed link, on a phone-sized screen, in
a real browser, without signing in."""

from __future__ import annotations

import re
import uuid

import pytest
from browser_helpers import click_and_wait
from playwright.sync_api import expect
from referrals_helpers import make_world, send
from sqlalchemy import select

from referral.notify.models import OutboxMessage
from referral.referrals import states
from referral.referrals.models import Referral

LINK = re.compile(r"https?://[^/\s]+(/r/[\w.\-]+)")


@pytest.mark.browser
def test_a_provider_declines_from_the_email_link_on_a_phone(demo_server, page):
    with demo_server.app.app_context():
        session = demo_server.session()
        world = make_world(session, tag=f"-{uuid.uuid4().hex[:6]}")
        referral = send(session, world, key=uuid.uuid4().hex)
        email = session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.related_id == referral.id,
                OutboxMessage.to_address == world.staff.email,
            )
        )
        session.commit()
        session.close()
    accept_path, decline_path = LINK.findall(email.body)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(demo_server.url + decline_path)
    assert page.locator("h1").inner_text() == "Decline this referral?"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Decline referral").click()
    # The browser's own check stops an empty reason before it is sent.
    assert page.locator("h1").inner_text() == "Decline this referral?"
    page.get_by_label("Reason", exact=True).select_option("not-eligible")
    page.get_by_label("Note for the case manager").fill("Serves seniors only")
    click_and_wait(page, page.get_by_role("button", name="Decline referral"))
    expect(page.locator("h1")).to_have_text("Referral declined")
    page.goto(demo_server.url + accept_path)
    assert page.locator("h1").inner_text() == "This referral has changed"
    with demo_server.session() as session:
        stored = session.get(Referral, referral.id)
        assert stored.status == states.REJECTED and stored.outcome == "not-eligible"
