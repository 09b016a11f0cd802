"""``search`` on the HSDS listings goes through the search engine, whose index is
rebuilt in the request's session on first use (inline in tests)."""

from __future__ import annotations

# The directory fixture of the main HSDS API tests (imported so pytest finds it).
from test_hsds_api import directory  # noqa: F401

from referral.directory import models as m


def _ids(client, query):
    response = client.get(query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.get_json()["contents"]]


def test_service_search_finds_services_by_their_words(client, directory):  # noqa: F811
    assert _ids(client, "/hsds/services?search=groceries") == [directory.service.id]
    assert _ids(client, "/hsds/services?search=shelter") == [directory.shelter.id]


def test_service_search_answers_the_same_once_the_index_is_built(client, directory):  # noqa: F811
    first = _ids(client, "/hsds/services?search=pantry")
    second = _ids(client, "/hsds/services?search=pantry")
    assert first == second == [directory.service.id]


def test_a_service_at_two_places_is_listed_once_in_a_service_search(client, session, directory):  # noqa: F811
    annex = m.Location(
        location_type="physical", name="Harbor Annex", latitude=25.78, longitude=-80.2
    )
    session.add(annex)
    session.flush()
    session.add(m.ServiceAtLocation(service_id=directory.service.id, location_id=annex.id))
    session.flush()
    body = client.get("/hsds/services?search=pantry").get_json()
    assert [s["id"] for s in body["contents"]] == [directory.service.id]
    assert body["total_items"] == 1


def test_search_combines_with_the_taxonomy_filter(client, directory):  # noqa: F811
    housing = directory.housing.id
    assert _ids(client, f"/hsds/services?search=pantry&taxonomy_term_id={housing}") == []


def test_search_with_proximity_keeps_only_nearby_matches(client, directory):  # noqa: F811
    query = "/hsds/service_at_locations?search=shelter&postcode=33130"
    assert _ids(client, f"{query}&proximity=5000") == []
    assert _ids(client, f"{query}&proximity=60000") == [directory.far_sal.id]


def test_search_pages_count_services_across_all_matches(client, session, directory):  # noqa: F811
    for n in range(3):
        extra = m.Service(organization_id=directory.org.id, name=f"Pantry {n}", status="active")
        session.add(extra)
        session.flush()
        session.add(m.ServiceAtLocation(service_id=extra.id, location_id=directory.location.id))
    session.flush()
    body = client.get("/hsds/services?search=pantry&per_page=2&page=2").get_json()
    assert body["total_items"] == 4 and body["total_pages"] == 2
    assert body["size"] == 2 and body["last_page"]


def test_services_at_no_place_are_found_by_their_words(client, session, directory):  # noqa: F811
    hotline = m.Service(name="Pantry Hotline", description="Call for food", status="active")
    session.add(hotline)
    session.flush()
    found = _ids(client, "/hsds/services?search=pantry")
    assert found[0] == directory.service.id and hotline.id in found
    assert hotline.id not in _ids(client, "/hsds/services?search=pantry+housing")


def test_search_that_is_too_long_is_a_problem_naming_search(client):
    response = client.get("/hsds/services?search=" + "x" * 201)
    assert response.status_code == 400
    assert response.get_json()["field"] == "search"
