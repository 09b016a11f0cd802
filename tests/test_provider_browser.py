"""In a real browser: the demo provider edits hours, capacity and eligibility of one
of its organization's services, and the very next search reflects each change; the
same provider is refused another organization's edit page."""

from __future__ import annotations

import uuid

import pytest
from browser_helpers import click_and_wait, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from referral.accounts.models import PROVIDER_STAFF, Membership, User
from referral.directory import models as dm

pytestmark = pytest.mark.browser

# A Sunday at 3:30 in the morning in Baltimore: no demo service is open then.
SUNDAY_NIGHT = "2026-12-06T03:30:00-05:00"


def arrange(demo_server) -> tuple[str, str, str]:
    """A service of the demo provider's own organization (with a Baltimore location),
    its unique search word, and a service of another organization."""
    word = "zelkova" + uuid.uuid4().hex[:6]
    with demo_server.session() as s, s.begin():
        user = s.scalars(select(User).where(User.email == "provider@demo.invalid")).one()
        org_id = next(
            m.organization_id
            for m in s.scalars(select(Membership).where(Membership.user_id == user.id))
            if m.role == PROVIDER_STAFF
        )
        location = dm.Location(
            location_type="physical", name=f"{word} site", organization_id=org_id
        )
        location.addresses = [
            dm.Address(
                address_1="100 N Charles St", city="Baltimore", state_province="MD",
                postal_code="21201", country="US", address_type="physical",
            )
        ]  # fmt: skip
        location.latitude, location.longitude = 39.29, -76.61
        service = dm.Service(name=f"Pantry {word}", status="active", organization_id=org_id)
        s.add_all([location, service])
        s.flush()
        s.add(dm.ServiceAtLocation(service_id=service.id, location_id=location.id))
        # Other browser tests share this server and may give the demo provider a role
        # elsewhere (the end-to-end referral test does): pick an organization it has none in.
        own = select(Membership.organization_id).where(
            Membership.user_id == user.id, Membership.organization_id.is_not(None)
        )
        other = s.scalars(
            select(dm.Service.id)
            .where(dm.Service.organization_id.not_in(own))
            .order_by(dm.Service.id)
            .limit(1)
        ).one()
        return service.id, word, other


def found(page, base_url: str, service_id: str, **params: str) -> bool:
    query = "&".join(f"{k}={v.replace('+', '%2B')}" for k, v in params.items())
    response = page.request.get(f"{base_url}/api/v1/search?{query}&per_page=50")
    assert response.ok, response.text()
    return service_id in {r["service_id"] for r in response.json()["results"]}


def test_provider_edits_hours_capacity_and_eligibility_and_search_shows_them(demo_server, page):
    url = demo_server.url
    service_id, word, other_service = arrange(demo_server)
    assert found(page, url, service_id, q=word)
    assert not found(page, url, service_id, q=word, open_at=SUNDAY_NIGHT)
    assert not found(page, url, service_id, q=word, capacity="true")

    sign_in(page, url, "provider@demo.invalid")
    page.goto(url + "/provider")
    click_and_wait(page, page.get_by_role("link", name=f"Pantry {word}"))
    page.get_by_label("Sunday: open or closed").select_option("open")
    page.get_by_label("Sunday range 1 opens").fill("03:00")
    page.get_by_label("Sunday range 1 closes").fill("04:00")
    page.get_by_label("How much is available?").select_option("count")
    page.get_by_label("Available now").fill("7")
    page.get_by_label("Maximum").fill("12")
    page.get_by_label("Counted in").fill("Beds")
    page.get_by_label("Youngest age served").fill("60")
    page.get_by_label("Income limit, % of the federal poverty level").fill("200")
    page.get_by_label("Eligibility, in your words").fill("Seniors 60 and over.")
    click_and_wait(page, page.get_by_role("button", name="Save changes"))
    assert "Search shows the change now" in page.content()

    assert found(page, url, service_id, q=word, open_at=SUNDAY_NIGHT)
    assert found(page, url, service_id, q=word, capacity="true")
    assert found(page, url, service_id, q=word, age="70")
    assert not found(page, url, service_id, q=word, age="30")

    refused = page.goto(f"{url}/provider/services/{other_service}/edit")
    assert refused is not None and refused.status == 403


def axe_violations(page) -> list[str]:  # noqa: ANN001
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"]]


def test_the_editing_pages_pass_axe_and_fit_a_phone(demo_server, page):
    url = demo_server.url
    service_id, _word, _other = arrange(demo_server)
    with demo_server.session() as s:
        org_id = s.get(dm.Service, service_id).organization_id
    sign_in(page, url, "provider@demo.invalid")
    for path in (
        f"/provider/services/{service_id}/edit",
        f"/provider/organizations/{org_id}/services/new",
        f"/organizations/{org_id}/claim",
    ):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(url + path)
        assert axe_violations(page) == [], path
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(url + path)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 360, f"{path} scrolls sideways at 360 px ({wide} px)"


def test_a_bad_time_is_announced_beside_its_field(demo_server, page):
    url = demo_server.url
    service_id, _word, _other = arrange(demo_server)
    sign_in(page, url, "provider@demo.invalid")
    page.goto(f"{url}/provider/services/{service_id}/edit")
    page.get_by_label("Saturday: open or closed").select_option("open")
    click_and_wait(page, page.get_by_role("button", name="Save changes"))
    expect(page.get_by_role("alert")).to_be_visible()
    field = page.get_by_label("Saturday range 1 opens")
    assert field.get_attribute("aria-invalid") == "true"
    assert "Give the opening hours" in page.content()
