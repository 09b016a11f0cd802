"""Search behaviour: words, phrases, typos, synonyms, filters, ordering, facets, pages.

Each test makes a few listings with the ORM, builds a Whoosh index in a temporary
folder and searches it through ``referral.search.service.search``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pytest

from referral.api.problems import InvalidParameter
from referral.directory.models import (
    Accessibility,
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
    Unit,
)
from referral.search.index import WhooshIndex
from referral.search.query import parse_params
from referral.search.service import SearchResults, search

MIAMI = (25.7617, -80.1918)
BOX = [[[-81, 25], [-80, 25], [-80, 26], [-81, 26], [-81, 25]]]


def listing(
    session,
    name: str,
    *,
    description: str = "",
    org: str = "Helping Hands",
    lat: float = 25.77,
    lon: float = -80.19,
    postcode: str = "33130",
    city: str = "Miami",
    status: str = "active",
    languages: Iterable[str] = (),
    terms: Iterable[TaxonomyTerm] = (),
    schedules: Iterable[tuple[str, str, str]] = (),
    **service_fields,
) -> ServiceAtLocation:
    organization = Organization(name=org, description="")
    service = Service(
        name=name,
        description=description,
        status=status,
        organization=organization,
        **service_fields,
    )
    location = Location(location_type="physical", latitude=lat, longitude=lon)
    location.addresses.append(
        Address(
            address_1="1 Main St",
            city=city,
            state_province="FL",
            postal_code=postcode,
            country="US",
            address_type="physical",
        )
    )
    for code in languages:
        service.languages.append(Language(code=code, name=code))
    for byday, opens, closes in schedules:
        service.schedules.append(
            Schedule(freq="WEEKLY", byday=byday, opens_at=opens, closes_at=closes)
        )
    sal = ServiceAtLocation(service=service, location=location)
    session.add_all([organization, service, location, sal])
    session.flush()
    for term in terms:
        session.add(Attribute(link_id=service.id, link_type="service", taxonomy_term_id=term.id))
    session.flush()
    return sal


def term(session, name: str, parent: TaxonomyTerm | None = None) -> TaxonomyTerm:
    made = TaxonomyTerm(name=name, description="", parent_id=parent.id if parent else None)
    session.add(made)
    session.flush()
    return made


@pytest.fixture
def index(tmp_path):
    made = WhooshIndex(tmp_path / "search-index")
    yield made
    made.close()


@pytest.fixture
def find(session, index):
    """Rebuild the index from the session, then search with request-style arguments."""

    def run(**args) -> SearchResults:
        if index.generation_or_none() is None:
            index.rebuild(session)
        return search(session, parse_params({k: v for k, v in args.items()}), index)

    return run


def names(found: SearchResults) -> list[str]:
    return [r.service_name for r in found.results]


def test_keyword_search_matches_word_stems(session, find):
    listing(session, "Community Pantries", description="Boxes of groceries every week")
    listing(session, "Tax Help")
    assert names(find(q="pantry")) == ["Community Pantries"]
    assert names(find(q="grocery")) == ["Community Pantries"]


def test_a_name_match_outranks_a_description_match(session, find):
    listing(session, "Legal Clinic", description="We also run a food pantry on Fridays")
    listing(session, "Food Pantry", description="Groceries for families")
    assert names(find(q="pantry")) == ["Food Pantry", "Legal Clinic"]


def test_organization_names_are_searchable(session, find):
    listing(session, "Warm Meals", org="Salvation Army")
    assert names(find(q="salvation")) == ["Warm Meals"]


def test_phrase_query_needs_the_words_together(session, find):
    listing(session, "Youth Mentoring", description="mental health support for teens")
    listing(session, "Family Support", description="health insurance and mental wellness")
    assert names(find(q='"mental health"')) == ["Youth Mentoring"]
    assert len(find(q="mental health").results) == 2


@pytest.mark.parametrize(
    ("typo", "right"), [("fod pantry", "food pantry"), ("shelther", "shelter")]
)
def test_typos_find_what_the_right_spelling_finds(session, find, typo, right):
    listing(session, "Food Pantry", description="Groceries")
    listing(session, "Family Shelter", description="Beds for families")
    listing(session, "Dental Clinic")
    wrong, correct = find(q=typo), find(q=right)
    assert names(wrong) == names(correct) and wrong.total >= 1
    assert wrong.did_you_mean == right
    assert correct.did_you_mean is None


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("food stamps", "SNAP enrollment"),
        ("snap", "Food Stamps Office"),
        ("emergency housing", "Overnight Shelter"),
    ],
)
def test_synonyms_find_listings_worded_differently(session, find, typed, listed):
    listing(session, listed)
    listing(session, "Dental Clinic")
    assert names(find(q=typed)) == [listed]


@pytest.mark.parametrize(
    "typed", ["food AND (", '"food pantry', "pantry)))", "NOT", "food^^ [to", "food: pantry"]
)
def test_query_syntax_the_parser_cannot_read_is_searched_as_plain_words(session, find, typed):
    listing(session, "Food Pantry")
    found = find(q=typed)
    assert found.total >= (0 if typed == "NOT" else 1)
    assert not found.degraded


def test_taxonomy_filter_includes_descendant_terms(session, find):
    food = term(session, "Food")
    pantry = term(session, "Food Pantries", food)
    listing(session, "Pantry A", terms=[pantry])
    listing(session, "Meals B", terms=[food])
    listing(session, "Clinic C", terms=[term(session, "Health")])
    assert sorted(names(find(taxonomy=food.id))) == ["Meals B", "Pantry A"]
    assert names(find(taxonomy=pantry.id)) == ["Pantry A"]
    # ancestors' names are searchable words too
    assert sorted(names(find(q="food"))) == ["Meals B", "Pantry A"]


def test_unknown_taxonomy_id_is_a_bad_parameter_naming_the_field(session, find):
    with pytest.raises(InvalidParameter) as caught:
        find(taxonomy="no-such-term")
    assert caught.value.extensions["field"] == "taxonomy"


def test_language_filter_keeps_services_offered_in_that_language(session, find):
    listing(session, "Hispanic Clinic", languages=["es", "en"])
    listing(session, "English Clinic", languages=["en"])
    listing(session, "Clinique", languages=["fra"])
    assert names(find(q="clinic", language="es")) == ["Hispanic Clinic"]
    assert names(find(language="fr")) == ["Clinique"]


def test_radius_keeps_nearby_listings_and_distance_sort_is_nearest_first(session, find):
    listing(session, "Pantry Far", lat=26.5, lon=-80.2)
    listing(session, "Pantry Near", lat=25.765, lon=-80.19)
    listing(session, "Pantry Middle", lat=25.9, lon=-80.2)
    found = find(q="pantry", near="25.7617,-80.1918", radius_km="30", sort="distance")
    assert names(found) == ["Pantry Near", "Pantry Middle"]
    assert found.results[0].distance_km < found.results[1].distance_km
    assert found.results[1].distance_km == pytest.approx(15.4, abs=0.2)


def test_postcode_search_measures_from_the_zip_code(session, find):
    listing(session, "Downtown Pantry", lat=25.77, lon=-80.19)
    listing(session, "Orlando Pantry", lat=28.54, lon=-81.38)
    found = find(q="pantry", postcode="33130", radius_km="20")
    assert names(found) == ["Downtown Pantry"]


def test_blend_prefers_a_close_listing_over_a_slightly_better_far_one(session, find):
    listing(session, "Food Pantry", description="food pantry", lat=26.6, lon=-80.1)
    listing(session, "Food Pantry", description="", lat=25.77, lon=-80.19)
    far_first = find(q="pantry")
    blended = find(q="pantry", near="25.7617,-80.1918", sort="blend")
    assert far_first.results[0].distance_km is None
    assert blended.results[0].distance_km < 5


def test_service_area_filter_keeps_services_whose_area_covers_the_point(session, find):
    inside = listing(session, "Countywide Rides", lat=27.0, lon=-82.0)
    listing(session, "Other Rides", lat=25.77, lon=-80.19)
    session.add(
        ServiceArea(
            service_id=inside.service_id,
            extent_type="geojson",
            extent=json.dumps({"type": "Polygon", "coordinates": BOX}),
        )
    )
    session.flush()
    assert names(find(q="rides", near="25.5,-80.5", service_area="true")) == ["Countywide Rides"]
    assert find(q="rides", near="27.5,-80.5", service_area="true").total == 0


def test_age_filter_respects_minimum_and_maximum_ages(session, find):
    listing(session, "Teen Center", minimum_age=13, maximum_age=19)
    listing(session, "Senior Center", minimum_age=60)
    listing(session, "Open Center")
    assert sorted(names(find(q="center", age="15"))) == ["Open Center", "Teen Center"]
    assert sorted(names(find(q="center", age="70"))) == ["Open Center", "Senior Center"]


def test_free_accessible_and_capacity_filters(session, find):
    free = listing(session, "Free Clinic", fees="No cost to patients")
    listing(session, "Paid Clinic", fees="$20 per visit")
    priced = listing(session, "Sliding Clinic")
    session.add(CostOption(service_id=priced.service_id, amount=0, option="Uninsured"))
    session.add(Accessibility(location_id=free.location_id, description="Wheelchair ramp"))
    unit = Unit(name="Beds")
    session.add(unit)
    session.flush()
    session.add(
        ServiceCapacity(
            service_id=priced.service_id,
            unit_id=unit.id,
            available=3,
            updated=__import__("datetime").datetime(2026, 11, 1),
        )
    )
    session.flush()
    assert sorted(names(find(q="clinic", free="true"))) == ["Free Clinic", "Sliding Clinic"]
    assert names(find(q="clinic", accessible="true")) == ["Free Clinic"]
    assert names(find(q="clinic", capacity="true")) == ["Sliding Clinic"]


def test_inactive_and_defunct_listings_are_hidden_unless_asked_for(session, find):
    for status in ("active", "temporarily closed", "inactive", "defunct"):
        listing(session, f"Pantry {status}", status=status)
    assert sorted(names(find(q="pantry"))) == ["Pantry active", "Pantry temporarily closed"]
    assert find(q="pantry", status="all").total == 4
    assert names(find(q="pantry", status="defunct")) == ["Pantry defunct"]


def test_organization_filter(session, find):
    mine = listing(session, "Pantry One", org="Org One")
    listing(session, "Pantry Two", org="Org Two")
    assert names(find(q="pantry", organization=mine.service.organization_id)) == ["Pantry One"]


def test_facets_count_taxonomy_terms_and_languages_of_the_whole_result_set(session, find):
    food = term(session, "Food")
    for i in range(3):
        listing(session, f"Pantry {i}", terms=[food], languages=["es"] if i else ["en"])
    listing(session, "Clinic", terms=[term(session, "Health")], languages=["es"])
    found = find(q="pantry", per_page="1")
    assert [(f.label, f.count) for f in found.facets["taxonomy"]] == [("Food", 3)]
    assert {f.value: f.count for f in found.facets["language"]} == {"es": 2, "en": 1}


def test_pages_split_the_results_and_report_the_total(session, find):
    for i in range(7):
        listing(session, f"Pantry {i:02d}")
    first, last = find(q="pantry", per_page="3"), find(q="pantry", per_page="3", page="3")
    assert (first.total, len(first.results), len(last.results)) == (7, 3, 1)
    all_ids = {r.service_at_location_id for r in find(q="pantry", per_page="10").results}
    paged = {
        r.service_at_location_id
        for p in "123"
        for r in find(q="pantry", per_page="3", page=p).results
    }
    assert paged == all_ids


def test_results_carry_what_a_case_manager_needs(session, find):
    sal = listing(session, "Food Pantry", languages=["es"], schedules=[("MO", "09:00", "17:00")])
    result = find(q="pantry", near="25.7617,-80.1918").results[0]
    assert result.service_at_location_id == sal.id
    assert result.organization_name == "Helping Hands"
    assert result.address == "1 Main St, Miami, FL, 33130"
    assert result.languages == ["es"] and result.distance_km is not None
    assert result.open_now in (True, False) and result.score > 0
