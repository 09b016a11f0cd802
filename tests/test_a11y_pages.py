"""axe-core in a real Chromium on every main page, in English and in Spanish, as the
person who uses it: zero serious or critical violations. Plus what axe cannot judge:
a keyboard-only search, a visible focus ring, no horizontal scrolling at 360 px and
no request leaving the app's host."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_helpers import other_hosts, sign_in
from sqlalchemy import select

from referral.directory.models import Organization, Service

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
CASE_MANAGER = "casemanager@demo.invalid"
PROVIDER = "provider@demo.invalid"
CURATOR = "curator@demo.invalid"
AGENCY_ADMIN = "agencyadmin@demo.invalid"


@dataclass(frozen=True)
class MainPage:
    name: str
    path: str  # may hold {service} and {organization}
    user: str | None = None


MAIN_PAGES = (
    MainPage("browse", "/"),
    MainPage("search", "/search?q=food"),
    MainPage("search-filters", "/search?q=food&near=21201&radius_km=25&free=true"),
    MainPage("service", "/services/{service}"),
    MainPage("organization", "/organizations/{organization}"),
    MainPage("login", "/login"),
    MainPage("not-found", "/services/no-such-service"),
    MainPage("match", "/match?need=food-insecurity&near=21201&age=40", CASE_MANAGER),
    MainPage("account", "/account", CASE_MANAGER),
    MainPage("clients", "/clients", CASE_MANAGER),
    MainPage("new-client", "/clients/new", CASE_MANAGER),
    MainPage("referrals", "/referrals", CASE_MANAGER),
    MainPage("inbox", "/inbox", PROVIDER),
    MainPage("provider", "/provider", PROVIDER),
    MainPage("curation", "/curation", CURATOR),
    MainPage("curation-changes", "/curation/changes", CURATOR),
    MainPage("curation-freshness", "/curation/freshness", CURATOR),
    MainPage("curation-duplicates", "/curation/duplicates", CURATOR),
    MainPage("curation-claims", "/curation/claims", CURATOR),
    MainPage("analytics", "/analytics", AGENCY_ADMIN),
    MainPage("provider-analytics", "/analytics/provider", PROVIDER),
)
NAME = attrgetter("name")
# The pages a phone user reaches most: checked for horizontal scrolling at 360 px.
PHONE_PAGES = (
    *("browse", "search", "search-filters", "service", "organization", "login", "match"),
    *("account", "clients", "new-client", "referrals", "inbox", "provider", "curation"),
    *("analytics", "provider-analytics"),
)


@pytest.fixture(scope="module")
def sample_ids(demo_server) -> dict[str, str]:
    with demo_server.session() as s:
        service = s.scalars(
            select(Service).where(Service.status == "active").order_by(Service.name)
        ).first()
        organization = s.get(Organization, service.organization_id)
        return {"service": service.id, "organization": organization.id}


# Session cookies of the demo users, signed in once per module through the real form.
SIGNED_IN: dict[str, list] = {}


def open_page(page, demo_server, sample_ids, main: MainPage, lang: str) -> None:
    rule = demo_server.app.url_map.bind("localhost")
    path = main.path.format(**sample_ids)
    if main.name != "not-found" and not rule.test(path.split("?")[0], "GET"):
        pytest.skip(f"{path} is not served by this build")
    if main.user and main.user not in SIGNED_IN:
        sign_in(page, demo_server.url, main.user)  # the form in English
        SIGNED_IN[main.user] = page.context.cookies()
    elif main.user:
        page.context.add_cookies(SIGNED_IN[main.user])
    page.context.add_cookies([{"name": "lang", "value": lang, "url": demo_server.url}])
    page.goto(demo_server.url + path)
    if main.user and urlsplit(page.url).path == "/login":  # another test ended the session
        page.context.clear_cookies()
        sign_in(page, demo_server.url, main.user)
        SIGNED_IN[main.user] = page.context.cookies()
        page.context.add_cookies([{"name": "lang", "value": lang, "url": demo_server.url}])
        page.goto(demo_server.url + path)
    page.wait_for_load_state()
    assert urlsplit(page.url).path == urlsplit(demo_server.url + path).path


def blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("main", MAIN_PAGES, ids=NAME)
def test_main_pages_have_no_serious_accessibility_violations(
    page, demo_server, sample_ids, main, lang
):
    open_page(page, demo_server, sample_ids, main, lang)
    assert page.locator("html").get_attribute("lang") == lang
    assert blocking_violations(page) == []


@pytest.mark.parametrize("main", [m for m in MAIN_PAGES if m.name in PHONE_PAGES], ids=NAME)
def test_main_pages_fit_a_360_pixel_phone_without_horizontal_scrolling(
    page, demo_server, sample_ids, main
):
    page.set_viewport_size({"width": 360, "height": 740})
    open_page(page, demo_server, sample_ids, main, "es")  # Spanish runs longer
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


@pytest.mark.parametrize("main", [m for m in MAIN_PAGES if m.name in PHONE_PAGES], ids=NAME)
def test_main_pages_request_nothing_from_another_host(page, demo_server, sample_ids, main):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_page(page, demo_server, sample_ids, main, "en")
    page.wait_for_load_state("networkidle")
    assert other_hosts(requested, demo_server.url) == set()
    assert requested, "the page made no request at all"


def test_a_keyboard_user_can_search_and_open_a_result(page, demo_server):
    page.goto(demo_server.url + "/search")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(20):  # past the skip link, the header links and the language switch
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("food")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=food*")
    first_result = page.locator(".results .card__title a").first
    title = first_result.inner_text()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.results') !== null"):
            break
    assert page.evaluate("document.activeElement.textContent") == title
    page.keyboard.press("Enter")
    page.wait_for_url("**/services/**")
    assert page.locator("h1").inner_text() == title


def test_the_skip_link_shows_on_focus_and_moves_focus_to_the_main_content(page, demo_server):
    page.goto(demo_server.url + "/")
    page.keyboard.press("Tab")
    link = page.locator(".skip-link")
    box = link.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_focus_is_visible(page, demo_server):
    page.goto(demo_server.url + "/search")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the brand link
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
    )
    outline_style, outline_width, shadow = style
    assert outline_style == "solid" and outline_width == "3px"
    assert shadow != "none"


def test_every_page_has_one_h1_and_the_main_landmarks(page, demo_server, sample_ids):
    for main in MAIN_PAGES[:7]:
        open_page(page, demo_server, sample_ids, main, "en")
        assert page.locator("h1").count() == 1, main.path
        for landmark in ("banner", "main", "contentinfo"):
            assert page.get_by_role(landmark).count() == 1, (main.path, landmark)
        assert page.get_by_role("navigation", name="Main").count() == 1
