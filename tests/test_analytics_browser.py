"""An agency admin opens the analytics dashboard in a real browser."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from browser_helpers import sign_in
from playwright.sync_api import expect

from referral.analytics import synthetic


@pytest.mark.browser
def test_agency_admin_opens_the_dashboard_and_sees_charts_and_tables(demo_server, page):
    with demo_server.session() as session, session.begin():
        synthetic.generate(session, 300, datetime.now(UTC), seed=11)
    sign_in(page, demo_server.url, "agencyadmin@demo.invalid")
    page.goto(demo_server.url + "/analytics")
    assert page.get_by_role("heading", level=1).inner_text() == "Referral analytics"
    expect(page.get_by_role("table", name="Funnel")).to_be_visible()
    chart = page.get_by_role("img", name="Referrals requested, accepted and completed")
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=chart.element_handle(), timeout=30_000
    )
    page.get_by_label("Need", exact=True).select_option("food-insecurity")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"need=food-insecurity"))
