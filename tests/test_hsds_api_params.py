"""Bad input to the HSDS API: a 400 problem+json that names the field at fault."""

from __future__ import annotations

import pytest

from referral.directory import models as m


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/hsds/services?per_page=100000", "per_page"),
        ("/hsds/services?per_page=0", "per_page"),
        ("/hsds/services?per_page=ten", "per_page"),
        ("/hsds/services?page=0", "page"),
        ("/hsds/services?page=-1", "page"),
        ("/hsds/organizations?page=1.5", "page"),
        ("/hsds/services?taxonomy_term_id=no-such-term", "taxonomy_term_id"),
        ("/hsds/services?taxonomy_id=no-such-taxonomy", "taxonomy_id"),
        ("/hsds/services?organization_id=nobody", "organization_id"),
        ("/hsds/services?modified_after=yesterday", "modified_after"),
        ("/hsds/services?format=xml", "format"),
        ("/hsds/service_at_locations?postcode=ABCDE", "postcode"),
        ("/hsds/service_at_locations?postcode=00000", "postcode"),
        ("/hsds/service_at_locations?postcode=33130&proximity=-5", "proximity"),
        ("/hsds/service_at_locations?postcode=33130&proximity=far", "proximity"),
        ("/hsds/service_at_locations?postcode=33130&proximity=1e12", "proximity"),
        ("/hsds/service_at_locations?postcode=33130&proximity=nan", "proximity"),
        ("/hsds/service_at_locations?proximity=1000", "proximity"),
        ("/hsds/taxonomy_terms?parent_id=orphan", "parent_id"),
        ("/hsds/taxonomy_terms?top_only=maybe", "top_only"),
        ("/hsds/organizations/x?full_service=perhaps", "full_service"),
    ],
)
def test_bad_parameters_get_a_problem_naming_the_field(client, query, field):
    response = client.get(query)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["field"] == field
    assert body["status"] == 400 and body["detail"]


def test_one_unknown_id_in_a_list_of_taxonomy_terms_is_named(client, session):
    term = m.TaxonomyTerm(name="Food", description="Food")
    session.add(term)
    session.flush()
    response = client.get(f"/hsds/services?taxonomy_term_id={term.id},missing")
    assert response.status_code == 400
    assert "'missing'" in response.get_json()["detail"]


def test_a_known_taxonomy_term_with_no_services_is_an_empty_page_not_an_error(client, session):
    term = m.TaxonomyTerm(name="Legal", description="Legal aid")
    session.add(term)
    session.flush()
    body = client.get(f"/hsds/services?taxonomy_term_id={term.id}").get_json()
    assert body["empty"] and body["total_items"] == 0 and body["total_pages"] == 0
    assert body["contents"] == [] and body["first_page"] and body["last_page"]


def test_zip_plus_four_and_date_only_timestamps_are_accepted(client):
    assert client.get("/hsds/service_at_locations?postcode=33130-1234").status_code == 200
    assert client.get("/hsds/services?modified_after=2026-01-01").status_code == 200


def test_unknown_records_of_every_kind_are_404_problems(client):
    for path in (
        "services",
        "organizations",
        "service_at_locations",
        "taxonomies",
        "taxonomy_terms",
    ):
        response = client.get(f"/hsds/{path}/00000000-0000-4000-8000-000000000000")
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"
