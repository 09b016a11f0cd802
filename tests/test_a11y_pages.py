"""axe-core in a real Chromium on every main page and detail page, in English and in
Spanish, as the person who uses it: zero serious or critical violations. Plus what axe
cannot judge: a keyboard-only search, a visible focus ring, nothing scrolling sideways
at 360 px (not even a table inside its own box), no request leaving the app's host, and
the client's list and a service printed without the screen furniture."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_helpers import other_hosts, sign_in
from playwright.sync_api import expect
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from referral.accounts import users
from referral.accounts.models import User, utcnow
from referral.curation import changes
from referral.curation import service as curation
from referral.curation.models import DuplicateCandidate
from referral.directory.models import Organization, Service, ServiceAtLocation
from referral.referrals import assessments, clients
from referral.referrals import service as referrals
from referral.referrals.models import Client, Referral

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
    # The detail pages, on objects the fixture `sample_ids` arranges.
    MainPage("client", "/clients/{client}", CASE_MANAGER),
    MainPage("consent-form", "/clients/{client}?recipient={recipient}#consent", CASE_MANAGER),
    MainPage("share-list", "/clients/{client}/share?{share_query}", CASE_MANAGER),
    MainPage("client-match", "/match?client={client}&assessment={assessment}", CASE_MANAGER),
    MainPage("client-merge", "/clients/{client}/merge/{duplicate_client}", CASE_MANAGER),
    MainPage("referral-referrer", "/referrals/{referral}", CASE_MANAGER),
    MainPage("referral-provider", "/referrals/{referral}", PROVIDER),
    MainPage("service-edit", "/provider/services/{own_service}/edit", PROVIDER),
    MainPage("hours-editor", "/provider/places/{own_place}/hours", PROVIDER),
    MainPage("service-translation", "/provider/services/{own_service}/translations/es", PROVIDER),
    MainPage("change-request", "/curation/changes/{change_request}", CURATOR),
    MainPage("duplicate-pair", "/curation/duplicates/{duplicate_pair}", CURATOR),
    MainPage("api-docs", "/api/docs"),
)
NAME = attrgetter("name")
# The pages a phone user reaches most: checked for horizontal scrolling at 360 px.
PHONE_PAGES = (
    *("browse", "search", "search-filters", "service", "organization", "login", "match"),
    *("account", "clients", "new-client", "referrals", "inbox", "provider", "curation"),
    *("analytics", "provider-analytics"),
    *("client", "consent-form", "share-list", "client-match", "client-merge"),
    "referral-referrer",
    *("referral-provider", "service-edit", "hours-editor", "change-request", "duplicate-pair"),
    "service-translation",
    "api-docs",
)


@pytest.fixture(scope="module")
def sample_ids(demo_server) -> dict[str, str]:
    with demo_server.session() as s, s.begin():
        service = s.scalars(
            select(Service).where(Service.status == "active").order_by(Service.name)
        ).first()
        organization = s.get(Organization, service.organization_id)
        ids = {"service": service.id, "organization": organization.id}
        ids |= arrange_case(s)
        ids |= arrange_curation(s, service)
        return ids


def member_of(session: Session, email: str) -> tuple[User, str]:
    user = users.find_user(session, email)
    return user, next(m.organization_id for m in user.memberships if m.organization_id)


def arrange_case(session: Session) -> dict[str, str]:
    """A client of the demo case manager's agency, as a busy case looks: consent, an
    assessment with facts, one referral the demo provider answered and one still open."""
    manager, agency = member_of(session, CASE_MANAGER)
    staff, provider = member_of(session, PROVIDER)
    places = session.scalars(
        select(ServiceAtLocation)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .where(Service.organization_id == provider)
        .order_by(ServiceAtLocation.id)
    ).all()
    tag = uuid.uuid4().hex[:6]
    client = clients.create_client(
        session,
        clients.NewClient(
            organization_id=agency, given_name=f"Maximiliana{tag}",
            family_name="Fernández-Villavicencio", birth_date=date(1979, 11, 23),
            email=f"maximiliana.{tag}@example.org", phone="410-555-0142",
            address="2417 Greenmount Avenue, Apartment 3B, Baltimore, MD 21218",
            preferred_language="es", contact_preference="text",
        ),
        manager,
    )  # fmt: skip
    today = utcnow().date()
    clients.record_consent(
        session,
        client,
        clients.NewConsent(
            purpose="referral", starts_on=today, method="written",
            recipient_organization_ids=(provider,), categories=("food-insecurity",),
        ),
        manager,
    )  # fmt: skip
    request = {
        "needs": [{"domain": "food-insecurity", "detail": "No food at home", "urgency": "urgent"}],
        "facts": {"age": 46, "household_size": 4, "monthly_income": 1850},
        "location": {"postal_code": "21201"},
    }
    assessment = assessments.record_assessment(session, client, request, None, manager, utcnow())
    answered = refer(session, client, places[0].id, "food-insecurity", manager, f"a11y-{tag}-1")
    for to in ("accepted", "in-progress"):
        move = referrals.Move(to, answered.version, note="Called the client; she comes Monday.")
        answered = referrals.transition_referral(session, answered.id, move, staff, utcnow())
    refer(session, client, places[-1].id, "food-insecurity", manager, f"a11y-{tag}-2")
    # The same person entered again, with fewer details: the merge page compares them.
    again = clients.NewClient(
        organization_id=agency, given_name=f"Maximiliana{tag}",
        family_name="Fernandez Villavicencio", birth_date=date(1979, 11, 23),
        phone="410-555-0142", preferred_language="es", contact_preference="phone",
    )  # fmt: skip
    duplicate = clients.create_client(session, again, manager)
    return {
        "client": client.id,
        "duplicate_client": duplicate.id,
        "recipient": provider,
        "assessment": assessment.id,
        "referral": answered.id,
        "share_query": "&".join(f"sal={p.id}" for p in places[:3]),
        "own_service": places[0].service_id,
        "own_place": places[0].id,
    }


def refer(
    session: Session, client: Client, place_id: str, need: str, by: User, key: str
) -> Referral:
    new = referrals.NewReferral(client.id, need, place_id, key, note="Needs groceries this week.")
    return referrals.create_referral(session, new, by, utcnow())[0]


def arrange_curation(session: Session, service: Service) -> dict[str, str]:
    """An open public suggestion on a listing, and an organization entered twice."""
    change = changes.propose(
        session,
        target_type="service",
        target_id=service.id,
        fields={"description": f"{service.description or ''} Open late on Thursdays.",
                "fees": "Free; a donation of canned goods is welcome."},
        submitter={"name": "A neighbour", "email": "neighbour@example.org"},
    )  # fmt: skip
    original = session.get(Organization, service.organization_id)
    again = Organization(
        name=original.name, description=original.description, website=original.website
    )
    session.add(again)
    session.flush()
    curation.detect_for(session, "organization", {again.id})
    pair = session.scalars(
        select(DuplicateCandidate).where(
            DuplicateCandidate.status == "open",
            or_(DuplicateCandidate.a_id == again.id, DuplicateCandidate.b_id == again.id),
        )
    ).first()
    assert pair is not None, "the copied organization was not detected as a duplicate"
    return {"change_request": change.id, "duplicate_pair": str(pair.id)}


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
    page.goto(demo_server.url + path, timeout=30_000)  # a first match loads its models
    if main.user and urlsplit(page.url).path == "/login":  # another test ended the session
        page.context.clear_cookies()
        sign_in(page, demo_server.url, main.user)
        SIGNED_IN[main.user] = page.context.cookies()
        page.context.add_cookies([{"name": "lang", "value": lang, "url": demo_server.url}])
        page.goto(demo_server.url + path, timeout=30_000)
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


# What a page-wide scrollWidth misses: a box of the page that scrolls or clips its
# content sideways (a table in an overflow wrapper), or anything drawn past the
# screen's edge. Only a focusable, labelled region may scroll, for wide numeric tables.
SIDEWAYS = """() => {
  const screen = document.documentElement.clientWidth;
  const region = '[role="region"][tabindex="0"]';
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className.trim()
       ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const found = [], seen = [];
  const report = (el, what) => { found.push(name(el) + what); seen.push(el); };
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === "hidden" || box.width <= 1 || box.height <= 1) continue;
    if (el.parentElement.closest(region) || el.closest(".skip-link")) continue;
    if (seen.some((outer) => outer.contains(el))) continue;
    if (box.left < -1 || box.right > screen + 1) report(el, " reaches past the screen");
    else if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)
        && el.scrollWidth > el.clientWidth + 1 && !el.matches(region + ", input, textarea"))
      report(el, " scrolls or cuts its content sideways");
  }
  return found;
}"""


@pytest.mark.parametrize("main", [m for m in MAIN_PAGES if m.name in PHONE_PAGES], ids=NAME)
def test_main_pages_fit_a_360_pixel_phone_without_horizontal_scrolling(
    page, demo_server, sample_ids, main
):
    page.set_viewport_size({"width": 360, "height": 740})
    open_page(page, demo_server, sample_ids, main, "es")  # Spanish runs longer
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    # What folds away (eligibility checklists, forms behind a summary) fits too.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    assert page.evaluate(SIDEWAYS) == []


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
    expect(page.locator("#main")).to_be_focused()


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


def test_the_clients_list_prints_whole_without_the_screen_furniture(page, demo_server, sample_ids):
    share = next(m for m in MAIN_PAGES if m.name == "share-list")
    open_page(page, demo_server, sample_ids, share, "en")
    chosen = sample_ids["share_query"].count("sal=")
    page.emulate_media(media="print")
    expect(page.locator(".share-sheet h2")).to_be_visible()
    items = page.locator(".share-item")
    assert items.count() == chosen
    for number in range(chosen):
        item = items.nth(number)
        assert item.locator("h3").is_visible() and item.locator("dl").is_visible()
        assert item.bounding_box()["width"] <= page.viewport_size["width"]
    for hidden in (".site-header", ".site-footer", "main h1", ".share-text", "main form"):
        assert not page.locator(hidden).first.is_visible(), hidden
    pdf = page.pdf(format="Letter")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000


def test_a_service_prints_without_the_heading_of_an_unused_eligibility_check(
    page, demo_server, sample_ids
):
    service = next(m for m in MAIN_PAGES if m.name == "service")
    open_page(page, demo_server, sample_ids, service, "en")
    expect(page.get_by_role("heading", name="Does my client qualify?")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not page.get_by_role("heading", name="Does my client qualify?").is_visible()


@pytest.mark.parametrize("width", [600, 700])
def test_the_pages_with_tables_fit_a_small_tablet_too(page, demo_server, sample_ids, width):
    page.set_viewport_size({"width": width, "height": 900})
    for name in ("client", "referrals", "inbox", "referral-provider", "provider", "api-docs"):
        main = next(m for m in MAIN_PAGES if m.name == name)
        page.context.clear_cookies()  # another user's session, and the form in English
        open_page(page, demo_server, sample_ids, main, "es")
        assert page.evaluate(SIDEWAYS) == [], name
