"""Client input: needs, facts, location, and the errors that name the field at fault."""

from __future__ import annotations

import pytest

from referral.matching import codes, fpl
from referral.matching.assessment import InvalidClient, parse_client


def test_a_full_client_parses_into_facts_and_needs() -> None:
    assessment = parse_client(
        {
            "location": {"postal_code": "21201"},
            "facts": {"age": 67, "household_size": 2, "monthly_income": 1800, "languages": ["es"]},
            "needs": [{"domain": "food-insecurity", "detail": "groceries", "urgency": "urgent"}],
        }
    )
    facts = assessment.facts
    assert (facts.age, facts.household_size, facts.monthly_income) == (67, 2, 1800.0)
    assert facts.languages == ("es",)
    assert facts.place is not None and facts.place.state == "MD"
    assert facts.county == "Baltimore city"
    assert assessment.needs[0].domain == "food-insecurity"
    assert assessment.needs[0].urgency == "urgent"
    assert assessment.needs[0].display == "Food insecurity"


def test_an_empty_client_is_valid_and_knows_nothing() -> None:
    assessment = parse_client({})
    assert assessment.facts.age is None and assessment.needs == ()


def test_an_explicit_county_wins_over_the_zip_county() -> None:
    facts = parse_client(
        {"location": {"postal_code": "21201"}, "facts": {"county": "Howard"}}
    ).facts
    assert facts.county == "Howard"


def test_a_point_location_keeps_coordinates() -> None:
    facts = parse_client({"location": {"lat": 39.3, "lon": -76.6}}).facts
    assert facts.place is not None and (facts.place.lat, facts.place.lon) == (39.3, -76.6)


@pytest.mark.parametrize(
    ("client", "field"),
    [
        ({"facts": {"age": -3}}, "facts.age"),
        ({"facts": {"age": 12.5}}, "facts.age"),
        ({"facts": {"age": True}}, "facts.age"),
        ({"facts": {"monthly_income": "lots"}}, "facts.monthly_income"),
        ({"facts": {"household_size": 0}}, "facts.household_size"),
        ({"facts": {"shoe_size": 9}}, "facts.shoe_size"),
        ({"facts": {"veteran": "maybe"}}, "facts.veteran"),
        ({"facts": {"gender": "x-y-z"}}, "facts.gender"),
        ({"facts": {"languages": [3]}}, "facts.languages"),
        ({"facts": []}, "facts"),
        ({"needs": [{"domain": "food"}]}, "needs[0].domain"),
        ({"needs": [{"domain": "food-insecurity", "urgency": "yesterday"}]}, "needs[0].urgency"),
        ({"needs": [{"domain": "food-insecurity", "colour": "red"}]}, "needs[0].colour"),
        ({"needs": "food"}, "needs"),
        ({"location": {"postal_code": "00000"}}, "location.postal_code"),
        ({"location": {"postal_code": "abc"}}, "location.postal_code"),
        ({"location": {"lat": 95, "lon": 0}}, "location.lat"),
        ({"location": {"lat": 39}}, "location.lon"),
        ({"location": {}}, "location"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_client_input_names_the_field(client: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidClient) as caught:
        parse_client(client)
    assert caught.value.field == field
    assert field in str(caught.value)


def test_a_client_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InvalidClient, match="client"):
        parse_client(["age", 3])


def test_need_codes_are_the_gravity_sdoh_categories() -> None:
    for code in ("food-insecurity", "housing-instability", "homelessness",
                 "transportation-insecurity", "utility-insecurity", "financial-insecurity",
                 "employment-status", "intimate-partner-violence"):  # fmt: skip
        assert codes.is_need_code(code)
    assert not codes.is_need_code("food")


def test_poverty_line_grows_by_the_per_person_amount() -> None:
    assert fpl.poverty_line(1) == 15650
    assert fpl.poverty_line(4) == 15650 + 3 * 5500
    assert fpl.poverty_line(1, "alaska") == 19550
    assert fpl.poverty_line(2, "hawaii") == 17990 + 6330


def test_income_is_compared_as_percent_of_poverty() -> None:
    # $1,800 a month for two people: 21,600 / 21,150 = 102.1%
    assert fpl.percent_of_poverty(1800, 2) == 102.1
    assert fpl.percent_of_poverty(0, 3) == 0.0


def test_alaska_and_hawaii_use_their_own_guidelines() -> None:
    assert fpl.region_for_state("AK") == "alaska"
    assert fpl.region_for_state("HI") == "hawaii"
    assert fpl.region_for_state("MD") == "contiguous"
    assert fpl.percent_of_poverty(1800, 2, "alaska") < fpl.percent_of_poverty(1800, 2)


def test_a_year_without_guidelines_is_an_error() -> None:
    with pytest.raises(ValueError, match="1999"):
        fpl.poverty_line(2, year=1999)
