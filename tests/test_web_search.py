"""The search page: results with the facts a case manager scans for, filters that
survive a round trip, friendly messages for bad input, and paging."""

from __future__ import annotations

import re
import socket
import threading
from datetime import date
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import sessionmaker

from referral import create_app, db
from referral.directory import models as m
from referral.search.api import EXTENSION
from referral.search.fallback import DatabaseIndex
from referral.web import search_cards


@pytest.fixture
def places(session):
    """Two pantries in Miami (one speaks Spanish, open every day) and a shelter in
    Fort Lauderdale, tagged with taxonomy terms."""
    org = m.Organization(name="Harbor Food Bank", description="Feeds the harbor district.")
    food = m.TaxonomyTerm(name="Food Pantry", description="Groceries")
    shelter_term = m.TaxonomyTerm(name="Emergency Shelter", description="Beds")
    session.add_all([org, food, shelter_term])
    session.flush()
    made = SimpleNamespace(org=org, food=food, shelter_term=shelter_term)
    specs = [
        ("pantry", "Harbor Pantry", "Free groceries every week.", 25.7617, -80.1918, "33130", food),
        ("annex", "Bayside Pantry", "Groceries and hot meals.", 25.79, -80.19, "33132", food),
        (
            "shelter",
            "Anchor Shelter",
            "Beds for the night.",
            26.1224,
            -80.1373,
            "33301",
            shelter_term,
        ),
    ]
    for key, name, description, lat, lon, zip_code, term in specs:
        service = m.Service(
            organization_id=org.id,
            name=name,
            description=description,
            status="active",
            assured_date=date(2026, 3, 1),
        )
        location = m.Location(
            location_type="physical", name=f"{name} site", latitude=lat, longitude=lon
        )
        session.add_all([service, location])
        session.flush()
        session.add_all(
            [
                m.ServiceAtLocation(service_id=service.id, location_id=location.id),
                m.Address(
                    location_id=location.id,
                    address_1=f"1 {name} Way",
                    city="Miami",
                    state_province="FL",
                    postal_code=zip_code,
                    country="US",
                    address_type="physical",
                ),
                m.Phone(
                    service_id=service.id,
                    number="305-555-0100",
                    extension=12 if key == "pantry" else None,
                ),
                m.Attribute(link_id=service.id, link_entity="service", taxonomy_term_id=term.id),
            ]
        )
        setattr(made, key, service)
    session.add_all(
        [
            m.Language(service_id=made.pantry.id, name="Spanish", code="es"),
            m.Schedule(
                service_id=made.pantry.id,
                freq="WEEKLY",
                byday="MO,TU,WE,TH,FR,SA,SU",
                opens_at="00:00",
                closes_at="24:00",
            ),
        ]
    )
    session.flush()
    return made


def text_of(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_empty_page_shows_the_form_and_no_results(client):
    response = client.get("/search")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<label for="q">' in html and "<legend>Distance and order</legend>" in html
    assert 'aria-live="polite"' in html


def test_results_show_the_facts_a_case_manager_scans_for(client, places):
    response = client.get("/search?q=groceries&near=33130")
    assert response.status_code == 200
    html, text = response.get_data(as_text=True), text_of(response)
    assert "Harbor Pantry" in text and "Bayside Pantry" in text and "Anchor Shelter" not in text
    assert f'href="/services/{places.pantry.id}"' in html
    assert 'href="tel:+13055550100' in html
    assert re.search(r"\d+\.\d mi \(\d+\.\d km\) away", text)
    assert "Open now" in text and "Hours not listed" in text
    assert "Languages: Spanish" in text
    assert "Last verified March 1, 2026" in text
    assert "Showing 1–2 of 2 results" in text


def test_distance_sort_puts_the_nearest_first(client, places):
    text = text_of(client.get("/search?near=25.7617,-80.1918&sort=distance"))
    assert text.index("Harbor Pantry") < text.index("Bayside Pantry") < text.index("Anchor Shelter")


def test_radius_keeps_only_places_within_it(client, places):
    text = text_of(client.get("/search?near=33130&radius_km=10"))
    assert "Harbor Pantry" in text and "Anchor Shelter" not in text


def test_filters_round_trip_into_the_form(client, places):
    query = (
        f"/search?q=pantry&near=33130&radius_km=25&taxonomy={places.food.id}"
        "&language=es&free=true&age=40&sort=blend&per_page=10"
    )
    html = client.get(query).get_data(as_text=True)
    assert 'name="q" value="pantry"' in html
    assert 'name="near" value="33130"' in html
    assert '<option value="25" selected>' in html
    assert f'<option value="{places.food.id}" selected>' in html
    assert '<option value="es" selected>Spanish</option>' in html
    assert re.search(r'id="free" name="free" value="true" checked', html)
    assert 'name="age" min="0" max="130" step="1" value="40"' in html
    assert '<option value="blend" selected>' in html
    assert '<details class="search-more" open>' in html and "(7 set)" in html


def test_filters_stay_folded_until_one_is_set(client, places):
    html = client.get("/search?q=pantry&near=33130&sort=relevance&per_page=20").get_data(
        as_text=True
    )
    assert '<details class="search-more">' in html


def test_facets_link_to_the_narrowed_search_with_counts(client, places):
    html = unescape(client.get("/search?q=groceries").get_data(as_text=True))
    assert f'href="/search?q=groceries&taxonomy={places.food.id}">Food Pantry</a> (2)' in html
    assert 'href="/search?q=groceries&language=es">Spanish</a> (1)' in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("near=Miami", "near", "5-digit ZIP code"),
        ("near=91,0", "near", "5-digit ZIP code"),
        ("near=00000", "near", "not a known US ZIP code"),
        ("near=33130&radius_km=-4", "radius_km", "radius_km"),
        ("sort=distance", "sort", "Enter a ZIP code or latitude,longitude in Near"),
        ("age=200", "age", "between 0 and 130"),
        ("open_at=tomorrow", "open_at", "open_at"),
        ("taxonomy=no-such-term", "taxonomy", "no-such-term"),
        ("q=food&per_page=5000", "per_page", "per_page"),
    ],
)
def test_bad_input_shows_a_message_beside_the_field_with_status_400(client, query, field, message):
    response = client.get(f"/search?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and message in unescape(html)
    if field != "per_page":  # the page offers per_page as a select of sane sizes only
        assert f'id="{field}-error"' in html
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html)


def test_a_degraded_search_says_so_and_still_answers(client, app, places):
    app.extensions[EXTENSION] = DatabaseIndex(degraded=True)
    text = text_of(client.get("/search?q=pantry"))
    assert "simpler mode" in text and "Harbor Pantry" in text


def test_a_search_from_the_index_has_no_degraded_notice(client, places):
    client.get("/search?q=pantry")  # the first search builds the index
    text = text_of(client.get("/search?q=pantry"))
    assert "simpler mode" not in text and "Harbor Pantry" in text


def test_misspelled_words_offer_a_did_you_mean_link(client, places):
    client.get("/search?q=pantry")  # build the index, whose vocabulary corrects typos
    html = unescape(client.get("/search?q=pantyr&near=33130").get_data(as_text=True))
    assert 'Did you mean <a href="/search?q=pantry&near=33130">pantry</a>?' in html


def test_results_are_paged_with_totals_and_links(client, places):
    first = client.get("/search?near=33130&sort=distance&per_page=10&page=1")
    assert "Showing 1–3 of 3 results" in text_of(first)
    html = unescape(
        client.get("/search?near=33130&sort=distance&per_page=10&page=2").get_data(as_text=True)
    )
    assert "Page 2 is past the end" in text_of_html(html)
    assert 'href="/search?near=33130&sort=distance&per_page=10">Go to the last page' in html


def test_pagination_links_keep_the_search(client, session, places):
    for n in range(11):
        service = m.Service(name=f"Pantry {n:02d}", status="active")
        location = m.Location(location_type="physical", latitude=25.7 + n / 100, longitude=-80.2)
        session.add_all([service, location])
        session.flush()
        session.add(m.ServiceAtLocation(service_id=service.id, location_id=location.id))
    session.flush()
    html = unescape(client.get("/search?q=pantry&per_page=10&page=2").get_data(as_text=True))
    text = text_of_html(html)
    assert "Showing 11–13 of 13 results (page 2 of 2)" in text
    assert 'href="/search?q=pantry&per_page=10" rel="prev"' in html
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2</a>' in html


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# In a real browser ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_search(tmp_path: Path):
    """The app under waitress on a random port, over a scratch SQLite directory."""
    waitress = pytest.importorskip("waitress")
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "SEARCH_REBUILD": "inline",
        }
    )
    engine = app.extensions["referral.engine"]
    db.upgrade(engine)
    with sessionmaker(engine).begin() as session:
        places.__wrapped__(session)
        # Real exports have long unbroken names; they must not widen a phone screen.
        long_name = "Supercalifragilisticexpialidocious" * 2 + "PantryServicesIncorporated"
        service = m.Service(name=long_name, status="temporarily closed")
        location = m.Location(location_type="physical", latitude=25.77, longitude=-80.2)
        session.add_all([service, location])
        session.flush()
        session.add(m.ServiceAtLocation(service_id=service.id, location_id=location.id))
    server = waitress.create_server(app, host="127.0.0.1", port=_free_port(), threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)
        engine.dispose()


@pytest.mark.browser
def test_search_page_works_at_360_px_without_requests_to_other_hosts(live_search, browser):
    requested: list[str] = []
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.on("request", lambda request: requested.append(request.url))
        page.goto(live_search + "/search")
        page.get_by_label("What do you need?").fill("pantry")
        page.get_by_label("Near").fill("33130")
        assert not page.get_by_label("Order").is_visible()  # filters folded on a first visit
        page.get_by_text("Distance, category, language").click()
        page.get_by_label("Order").select_option("distance")
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_url("**/search?*")
        assert "Showing 1–3 of 3 results" in page.locator(".result-count").inner_text()
        expect(page.get_by_role("link", name="Harbor Pantry")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path="/tmp/referral_search_360.png", full_page=True)
        expect(page.get_by_label("Order")).to_be_visible()  # open while a filter is set
        page.get_by_label("Near").fill("Miami")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("5-digit ZIP code")
        assert page.get_by_label("Near").get_attribute("aria-invalid") == "true"
    finally:
        page.close()
    hosts = {urlsplit(url).netloc for url in requested}
    assert hosts == {urlsplit(live_search).netloc}


def test_a_large_taxonomy_offers_top_terms_and_the_result_facets(
    client, session, places, monkeypatch
):
    monkeypatch.setattr(search_cards, "MAX_TERM_CHOICES", 2)
    meals = m.TaxonomyTerm(name="Hot Meals", description="x", parent_id=places.food.id)
    unused = m.TaxonomyTerm(name="Unused Child", description="x", parent_id=places.food.id)
    session.add_all([meals, unused])
    session.flush()
    session.add(
        m.Attribute(link_id=places.annex.id, link_entity="service", taxonomy_term_id=meals.id)
    )
    session.flush()
    html = client.get("/search?q=groceries").get_data(as_text=True)
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', html)
    names = {name for _, name in options}
    assert {"Food Pantry", "Emergency Shelter"} <= names  # the top level
    assert "Hot Meals" in names  # a narrower term among the results' facets
    assert "Unused Child" not in names
