"""The directory pages: browse, service detail, organization detail, error pages."""

from __future__ import annotations

import re
import socket
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from referral import create_app, db
from referral.directory import hours
from referral.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
    Unit,
)

TODAY = datetime.now(UTC).date()


def make_org(session: Session, name: str = "Harbor Food Bank", **fields: object) -> Organization:
    org = Organization(name=name, description=f"{name} helps people.", **fields)
    session.add(org)
    session.flush()
    return org


def make_service(
    session: Session,
    name: str,
    org: Organization | None = None,
    *,
    status: str = "active",
    street: str = "12 Main St",
    phone: str | None = "(305) 555-0100",
    **fields: object,
) -> Service:
    org = org or make_org(session)
    fields.setdefault("assured_date", TODAY - timedelta(days=30))
    service = Service(name=name, status=status, organization_id=org.id, **fields)
    location = Location(location_type="physical", organization_id=org.id, name=f"{name} site")
    session.add_all([service, location])
    session.flush()
    session.add_all(
        [
            ServiceAtLocation(service_id=service.id, location_id=location.id),
            Address(
                location_id=location.id,
                address_1=street,
                city="Miami",
                state_province="FL",
                postal_code="33101",
                country="US",
                address_type="physical",
            ),
        ]
    )
    if phone:
        session.add(Phone(service_id=service.id, number=phone))
    session.flush()
    session.expire_all()
    return service


def tag(session: Session, service: Service, term_name: str, entity: str = "service") -> str:
    term = TaxonomyTerm(name=term_name, description=term_name)
    session.add(term)
    session.flush()
    session.add(Attribute(link_id=service.id, link_entity=entity, taxonomy_term_id=term.id))
    session.flush()
    return term.id


def text_of(response) -> str:
    return response.get_data(as_text=True)


# Browse ---------------------------------------------------------------------------------


def test_browse_lists_services_with_organization_address_and_tel_link(client, session):
    org = make_org(session, "Harbor Food Bank")
    service = make_service(session, "Weekly Food Pantry", org, street="400 Biscayne Blvd")
    page = text_of(client.get("/"))
    assert f'href="/services/{service.id}"' in page
    assert "Weekly Food Pantry" in page
    assert f'href="/organizations/{org.id}">Harbor Food Bank</a>' in page
    assert "400 Biscayne Blvd" in page
    assert "Miami, FL 33101" in page
    assert 'href="tel:+13055550100">(305) 555-0100</a>' in page


def test_every_page_has_landmarks_a_skip_link_and_the_main_navigation(client, session):
    page = text_of(client.get("/"))
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page and "<header" in page and "<footer" in page
    assert '<nav class="site-nav" aria-label="Main">' in page
    assert '<a href="/" aria-current="page">Services</a>' in page
    assert not re.search(r'<(link|script|img|iframe)[^>]+(src|href)="(https?:)?//', page)


def test_browse_falls_back_to_the_location_phone_when_the_service_has_none(client, session):
    service = make_service(session, "Clinic", phone=None)
    location_id = service.service_at_locations[0].location_id
    session.add(Phone(location_id=location_id, number="786-555-0142", extension=12))
    session.flush()
    assert 'href="tel:+17865550142;ext=12"' in text_of(client.get("/"))


def test_browse_sorts_by_name_and_paginates_with_totals(client, session):
    org = make_org(session)
    for name in ["delta", "Alpha", "charlie", "Bravo", "echo"]:
        make_service(session, name, org)
    first = text_of(client.get("/?per_page=2"))
    assert "Showing 1–2 of 5 services (page 1 of 3)" in first
    assert first.index("Alpha") < first.index("Bravo")
    assert "charlie" not in first
    last = text_of(client.get("/?per_page=2&page=3"))
    assert "Showing 5–5 of 5 services (page 3 of 3)" in last
    assert ">echo<" in last and "delta" not in last
    assert 'href="/?per_page=2&amp;page=2" rel="prev"' in last


def test_browse_page_past_the_end_says_so_and_links_to_the_last_page(client, session):
    make_service(session, "Only service")
    response = client.get("/?page=7")
    assert response.status_code == 200
    assert "Page 7 is past the end: there is 1 page." in text_of(response)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=-3", "page"),
        ("per_page=100000", "per_page"),
        ("per_page=0", "per_page"),
        ("per_page=1e3", "per_page"),
        ("status=open", "status"),
    ],
)
def test_browse_rejects_bad_parameters_with_a_friendly_message(client, session, query, field):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    page = text_of(response)
    assert "We could not show this list" in page
    assert f"<code>{field}</code>" in page
    assert "Traceback" not in page


def test_browse_accepts_the_largest_page_size(client, session):
    make_service(session, "Pantry")
    assert client.get("/?per_page=100").status_code == 200


def test_browse_shows_active_and_temporarily_closed_services_by_default(client, session):
    org = make_org(session)
    make_service(session, "Open pantry", org)
    make_service(session, "Paused shelter", org, status="temporarily closed")
    make_service(session, "Old clinic", org, status="inactive")
    make_service(session, "Gone program", org, status="defunct")
    default = text_of(client.get("/"))
    assert "Open pantry" in default and "Paused shelter" in default
    assert "Temporarily closed</span>" in default
    assert "Old clinic" not in default and "Gone program" not in default
    assert "of 2 services" in default
    inactive = text_of(client.get("/?status=inactive"))
    assert "Old clinic" in inactive and "Open pantry" not in inactive
    assert "of 4 services" in text_of(client.get("/?status=all"))


def test_browse_filters_by_organization(client, session):
    harbor, bay = make_org(session, "Harbor"), make_org(session, "Bay Legal Aid")
    make_service(session, "Pantry", harbor)
    make_service(session, "Eviction help", bay)
    page = text_of(client.get(f"/?organization_id={bay.id}"))
    assert "Eviction help" in page and "Pantry" not in page
    assert "<h1>Services of Bay Legal Aid</h1>" in page


def test_browse_filters_by_taxonomy_term_through_service_attributes(client, session):
    pantry, shelter = make_service(session, "Pantry"), make_service(session, "Shelter")
    food = tag(session, pantry, "Food pantries")
    session.add(Attribute(link_id=shelter.id, link_entity="location", taxonomy_term_id=food))
    session.flush()
    page = text_of(client.get(f"/?taxonomy_term_id={food}"))
    assert "Pantry" in page and "Shelter</a>" not in page
    assert "services tagged <strong>Food pantries</strong>" in page


def test_browse_reports_filters_that_match_no_record(client, session):
    response = client.get("/?organization_id=nope&taxonomy_term_id=nope")
    assert response.status_code == 400
    assert "no organization has this id." in text_of(response)
    assert "no taxonomy term has this id." in text_of(response)


def test_browse_hints_that_listings_unverified_for_over_a_year_are_stale(client, session):
    make_service(session, "Fresh", assured_date=TODAY - timedelta(days=300))
    make_service(session, "Stale", assured_date=TODAY - timedelta(days=400))
    make_service(session, "Never", assured_date=None)
    page = text_of(client.get("/"))
    fresh, stale, never = (page.index(f">{name}<") for name in ("Fresh", "Stale", "Never"))
    assert "Not verified since" not in page[fresh:never]
    assert "Not verified since" in page[stale:]
    assert "Never verified" in page[never:stale]


def test_browse_uses_the_same_number_of_queries_for_any_page_size(client, session, connection):
    org = make_org(session)
    for n in range(12):
        service = make_service(session, f"Service {n:02d}", org)
        session.add(Location(location_type="physical", organization_id=org.id))
        session.add(Phone(organization_id=org.id, number=f"305555{n:04d}"))
        tag(session, service, f"term {n}")
    session.flush()
    small, large = (count_queries(connection, client, f"/?per_page={n}") for n in (2, 12))
    assert small == large
    assert large <= 12


def test_browse_escapes_listing_text(client, session):
    make_service(session, "<script>alert(1)</script>")
    page = text_of(client.get("/"))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Service detail -------------------------------------------------------------------------


def rich_service(session: Session) -> Service:
    org = make_org(session, "Harbor Food Bank", website="harborfood.example.org")
    service = make_service(
        session,
        "Weekly Food Pantry",
        org,
        description="Groceries once a week.",
        alert="Closed on Thanksgiving.",
        eligibility_description="Residents of Miami-Dade County.",
        minimum_age=18,
        maximum_age=64,
        fees_description="Free.",
        application_process="Walk in with ID.",
        interpretation_services="Telephone interpreters on request.",
        assured_date=date(2026, 3, 2),
    )
    sal = service.service_at_locations[0]
    location = sal.location
    location.transportation = "Metrobus route 3"
    unit = Unit(name="food boxes")
    session.add_all(
        [
            CostOption(service_id=service.id, option="Delivery", amount=5, currency="USD"),
            RequiredDocument(service_id=service.id, document="Photo ID"),
            Language(service_id=service.id, name="Spanish", code="es"),
            Language(service_id=service.id, name="Haitian Creole", code="ht"),
            Accessibility(location_id=location.id, description="Wheelchair ramp"),
            Phone(location_id=location.id, number="305-555-0199", description="Front desk"),
            Contact(service_id=service.id, name="Ana Ruiz", title="Intake", email="ana@ex.org"),
            ServiceArea(service_id=service.id, name="Miami-Dade County"),
            Schedule(service_id=None, location_id=location.id, freq="WEEKLY", byday="MO,WE",
                     opens_at="09:00", closes_at="17:00"),
            Schedule(location_id=location.id, freq="WEEKLY", byday="SA", opens_at="10:00:00",
                     closes_at="12:30:00", notes="Seniors first on Saturday."),
            Schedule(location_id=location.id, freq="MONTHLY", byday="1FR", opens_at="18:00",
                     closes_at="20:00"),
            unit,
        ]
    )  # fmt: skip
    session.flush()
    session.add(
        ServiceCapacity(
            service_id=service.id, unit_id=unit.id, available=3, maximum=40.0,
            updated=datetime(2026, 11, 20, tzinfo=UTC),
        )
    )  # fmt: skip
    tag(session, service, "Food pantries")
    session.flush()
    session.expire_all()
    return service


def test_service_detail_shows_what_a_case_manager_needs(client, session):
    service = rich_service(session)
    page = text_of(client.get(f"/services/{service.id}"))
    expected = [
        '<h1 id="service-name">Weekly Food Pantry</h1>',
        "Harbor Food Bank</a>",
        'href="https://harborfood.example.org"',
        f'href="/?organization_id={service.organization_id}"',
        "Groceries once a week.",
        "Closed on Thanksgiving.",
        "Residents of Miami-Dade County.",
        "18 to 64",
        "Free.",
        "Delivery: $5.00",
        "Walk in with ID.",
        "Photo ID",
        "Haitian Creole, Spanish",
        "Telephone interpreters on request.",
        "12 Main St",
        'href="tel:+13055550199"',
        "Front desk",
        "Wheelchair ramp",
        "Metrobus route 3",
        "Ana Ruiz, Intake",
        "Miami-Dade County</dd>",
        "Food pantries</a>",
        "3 of 40 food boxes",
        'Last verified <time datetime="2026-03-02">March 2, 2026</time>',
    ]
    missing = [snippet for snippet in expected if snippet not in page]
    assert not missing


def test_service_detail_builds_a_weekly_hours_table_from_schedules(client, session):
    service = rich_service(session)
    page = text_of(client.get(f"/services/{service.id}"))
    table = page[page.index('<table class="hours">') : page.index("</table>")]
    rows = re.findall(r'<th scope="row">(\w+)</th>\s*<td>([^<]*)</td>', table)
    assert rows == [
        ("Monday", "9:00 AM – 5:00 PM"),
        ("Tuesday", "Closed"),
        ("Wednesday", "9:00 AM – 5:00 PM"),
        ("Thursday", "Closed"),
        ("Friday", "Closed"),
        ("Saturday", "10:00 AM – 12:30 PM"),
        ("Sunday", "Closed"),
    ]
    assert "The first Friday of the month: 6:00 PM – 8:00 PM" in page
    assert "Seniors first on Saturday." in page


def count_queries(connection, client, path: str) -> int:
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - a throwaway hook
    event.listen(connection, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", listener)
    return len(statements)


def add_sites(session: Session, service: Service, count: int) -> None:
    for n in range(count):
        site = Location(location_type="physical", name=f"Site {n}")
        session.add(site)
        session.flush()
        session.add_all(
            [
                ServiceAtLocation(service_id=service.id, location_id=site.id),
                Phone(location_id=site.id, number="305-555-0123"),
                Schedule(location_id=site.id, freq="WEEKLY", byday="TU", opens_at="08:00"),
                Contact(location_id=site.id, name=f"Desk {n}"),
            ]
        )
    session.flush()


def test_service_detail_costs_the_same_queries_however_many_locations(client, session, connection):
    one, many = make_service(session, "One site"), make_service(session, "Many sites")
    add_sites(session, one, 1)
    add_sites(session, many, 6)
    one_count = count_queries(connection, client, f"/services/{one.id}")
    assert one_count == count_queries(connection, client, f"/services/{many.id}")


def test_service_detail_without_schedules_says_hours_are_not_listed(client, session):
    service = make_service(session, "Legal clinic")
    page = text_of(client.get(f"/services/{service.id}"))
    assert "Hours not listed: call to confirm." in page
    assert "<table" not in page


def test_service_detail_shows_repeated_numbers_and_descriptions_once(client, session):
    service = make_service(session, "Clinic", description="Free checkups.")
    location = service.service_at_locations[0].location
    location.description = "Free checkups."
    session.add_all(
        [
            Phone(location_id=location.id, number="305-555-0177"),
            Phone(location_id=location.id, number="(305) 555-0177"),
        ]
    )
    session.flush()
    page = text_of(client.get(f"/services/{service.id}"))
    assert page.count("Free checkups.") == 1
    assert page.count('href="tel:+13055550177"') == 1


def test_service_detail_for_an_unknown_id_is_a_friendly_404(client, session):
    response = client.get("/services/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "No service has this address." in text_of(response)
    assert "Go to the list of services" in text_of(response)


def test_website_that_is_not_http_is_shown_but_never_linked(client, session):
    org = make_org(session, "Sly org", website="javascript:alert(1)")
    service = make_service(session, "Sly service", org)
    page = text_of(client.get(f"/services/{service.id}"))
    assert "javascript:alert(1)" in page
    assert 'href="javascript:' not in page


# Organization detail --------------------------------------------------------------------


def test_organization_detail_lists_its_services_and_locations(client, session):
    org = make_org(session, "Bay Legal Aid", email="help@bay.example.org")
    make_service(session, "Eviction defense", org, street="1 Court St")
    make_service(session, "Old tax clinic", org, status="defunct")
    make_service(session, "Someone else's", make_org(session, "Other"))
    session.add(Phone(organization_id=org.id, number="305-555-0111"))
    session.flush()
    page = text_of(client.get(f"/organizations/{org.id}"))
    assert '<h1 id="org-name">Bay Legal Aid</h1>' in page
    assert "Services (2)" in page and "Locations (2)" in page
    assert "Eviction defense" in page and "Closed permanently" in page
    assert "1 Court St" in page and 'href="tel:+13055550111"' in page
    assert "Someone else" not in page


def test_organization_detail_for_an_unknown_id_is_a_friendly_404(client, session):
    response = client.get("/organizations/missing")
    assert response.status_code == 404
    assert "No organization has this address." in text_of(response)


# Error pages ----------------------------------------------------------------------------


def test_unknown_page_gets_a_friendly_html_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Page not found" in text_of(response)


def test_api_paths_keep_problem_json_errors(client):
    for path in ("/api/v1/no-such-thing", "/hsds/no-such-thing"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 404


def test_wrong_method_gets_a_friendly_405_with_allowed_methods(client):
    response = client.post("/")
    assert response.status_code == 405
    assert "That action is not available here" in text_of(response)
    assert "GET" in response.headers["Allow"]


def test_unhandled_error_gets_a_friendly_500_without_a_traceback(app):
    def explode() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/explode", view_func=explode)
    app.add_url_rule("/api/v1/explode", endpoint="api_explode", view_func=explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    response = client.get("/explode")
    assert response.status_code == 500
    page = text_of(response)
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page
    api = client.get("/api/v1/explode")
    assert api.status_code == 500 and api.mimetype == "application/problem+json"
    assert "secret internals" not in text_of(api)


# Hours ----------------------------------------------------------------------------------


def test_clock_reads_hsds_times_and_keeps_unreadable_text():
    assert hours.clock("00:00") == "12:00 AM"
    assert hours.clock("12:15:00") == "12:15 PM"
    assert hours.clock("23:59") == "11:59 PM"
    assert hours.clock("noon-ish") == "noon-ish"
    assert hours.clock(None) is None


def test_expired_schedules_are_left_out_of_the_week():
    old = Schedule(byday="MO", opens_at="08:00", closes_at="09:00", valid_to=date(2020, 1, 1))
    assert hours.weekly_hours([old], date(2026, 1, 1)) == hours.NO_HOURS


# In a real browser ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_server(tmp_path: Path):
    """The app under waitress on a random local port, over a scratch SQLite database."""
    waitress = pytest.importorskip("waitress")
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    app = create_app({"DATABASE_URL": url, "INSTANCE_DIR": str(tmp_path / "instance")})
    engine = app.extensions["referral.engine"]
    db.upgrade(engine)
    with sessionmaker(engine).begin() as session:
        service_id = rich_service(session).id
        # Real exports have long unbroken names; they must not widen a phone screen.
        make_service(session, "Supercalifragilisticexpialidocious" * 2 + "ServicesIncorporated")
    server = waitress.create_server(app, host="127.0.0.1", port=_free_port(), threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}", service_id
    finally:
        server.close()
        thread.join(timeout=5)
        engine.dispose()


@pytest.mark.browser
def test_pages_render_in_chromium_without_requests_to_other_hosts(live_server, browser):
    base, service_id = live_server
    requested: list[str] = []
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.on("request", lambda request: requested.append(request.url))
        page.goto(base + "/")
        assert page.get_by_role("heading", level=1).inner_text() == "Browse services"
        expect(page.get_by_role("link", name="Weekly Food Pantry")).to_be_visible()
        assert page.locator("a[href^='tel:']").first.inner_text() == "(305) 555-0100"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path="/tmp/referral_browse_360.png", full_page=True)
        page.get_by_role("link", name="Weekly Food Pantry").click()
        page.wait_for_url(f"**/services/{service_id}")
        assert page.get_by_role("table").locator("caption").inner_text().startswith("Hours")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path="/tmp/referral_service_360.png", full_page=True)
    finally:
        page.close()
    hosts = {urlsplit(url).netloc for url in requested}
    assert hosts == {urlsplit(base).netloc}
    assert any(url.endswith("/static/site.css") for url in requested)
