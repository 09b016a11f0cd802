"""The public search flow in a real Chromium, as someone without an account uses it:
search, narrow the results, open a service, print it; and switch to Spanish."""

from __future__ import annotations

import re

import pytest
from browser_helpers import click_and_wait
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def search_for(page, base_url: str, words: str) -> None:
    page.goto(base_url + "/search")
    page.get_by_label("What do you need?").fill(words)
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"/search\?q="))


def test_a_visitor_searches_narrows_by_category_and_opens_a_service(page, demo_server):
    search_for(page, demo_server.url, "food")
    count = page.locator(".result-count")
    assert re.search(r"Showing 1–\d+ of \d+ results?", count.inner_text())
    facet = page.locator("#facet-taxonomy + ul a").first
    category = facet.inner_text()
    facet.click()
    page.wait_for_url(re.compile(r"taxonomy="))
    assert page.locator("#facet-taxonomy + ul strong").inner_text() == category
    assert page.get_by_label("Category").locator("option:checked").inner_text() == category
    first = page.locator(".results .card__title a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/services/"))
    assert page.get_by_role("heading", level=1).inner_text() == name
    expect(page.get_by_role("heading", name="Who can get help")).to_be_visible()


def test_the_filters_fold_away_until_used_and_a_bad_place_is_explained(page, demo_server):
    page.goto(demo_server.url + "/search")
    assert not page.get_by_label("Free only").is_visible()
    page.get_by_text("Distance, category, language, hours and cost").click()
    page.get_by_label("Free only").check()
    page.get_by_label("Near").fill("not a place")
    page.get_by_label("What do you need?").fill("food")
    click_and_wait(page, page.get_by_role("button", name="Search with these filters"))
    near = page.get_by_label("Near")
    assert near.get_attribute("aria-invalid") == "true"
    assert "5-digit ZIP code" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Free only").is_checked()  # the form kept what was typed


def test_a_service_prints_without_the_screen_furniture(page, demo_server):
    search_for(page, demo_server.url, "food")
    page.locator(".results .card__title a").first.click()
    page.wait_for_url(re.compile(r"/services/"))
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".detail__status")).to_be_visible()
    for hidden in (".site-nav", ".language-switch", ".skip-link", ".checklist__form"):
        assert not page.locator(hidden).first.is_visible(), hidden
    pdf = page.pdf(format="Letter")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000


def test_a_visitor_switches_to_spanish_and_the_choice_sticks(page, demo_server):
    page.goto(demo_server.url + "/search?q=food")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    page.wait_for_url(re.compile(r"lang=es"))
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_label("¿Qué necesita?").input_value() == "food"
    click_and_wait(page, page.get_by_role("link", name="Servicios", exact=True))
    assert page.get_by_role("heading", level=1).inner_text() == "Explorar servicios"
    click_and_wait(page, page.get_by_role("link", name="English"))
    assert page.locator("html").get_attribute("lang") == "en"
