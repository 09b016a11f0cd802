"""Reading structured criteria from eligibility text."""

from __future__ import annotations

import pytest

from referral.matching.criteria import Criterion
from referral.matching.extract import extract


def _flat(text: str) -> list[tuple[str, dict[str, object]]]:
    found = extract(text)
    return [(m.kind, m.params) for c in found for m in (c.members or (c,))]


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("Adults 18 and older", {"min": 18, "max": None}),
        ("60+", {"min": 60, "max": None}),
        ("Children 5-11 years old", {"min": 5, "max": 11}),
        ("Youth ages 14 to 24", {"min": 14, "max": 24}),
        ("Children under 18 years old", {"min": None, "max": 17}),
        ("18 years old and under", {"min": None, "max": 18}),
        ("Infants - 12 years old", {"min": None, "max": 12}),
        ("between the ages of 16 and 21", {"min": 16, "max": 21}),
        ("Anyone over 62 years old", {"min": 62, "max": None}),
    ],
)
def test_ages_and_ranges_are_read(text: str, params: dict[str, object]) -> None:
    assert ("age", params) in _flat(text)


def test_grades_and_money_are_not_ages() -> None:
    assert _flat("Students in grades 6th-12th") == []
    assert all(k != "age" for k, _ in _flat("Households earning $67,000 or less per year."))


def test_seniors_without_a_number_is_a_population() -> None:
    assert _flat("Seniors and their caregivers")[0] == ("population", {"value": "senior"})


def test_a_stated_age_overrides_the_age_words() -> None:
    assert _flat("Seniors 60 years and older") == [("age", {"min": 60, "max": None})]


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("at or below 200% of poverty", {"fpl_percent": 200}),
        (
            "Household income at or below 150% of the federal poverty guidelines.",
            {"fpl_percent": 150},
        ),
        ("Families living below the poverty line", {"fpl_percent": 100}),
        ("Income under $2,500 per month", {"amount": 2500.0, "period": "month"}),
        ("Households earning $67,000 or less per year.", {"amount": 67000.0, "period": "year"}),
        ("Low income individuals", {"level": "low"}),
        ("Income at or below 50% of the area median income", {"ami_percent": 50}),
    ],
)
def test_income_limits_are_read(text: str, params: dict[str, object]) -> None:
    assert ("income", params) in _flat(text)


def test_vague_income_is_soft_and_a_percent_of_poverty_is_hard() -> None:
    (vague,) = extract("Low income individuals")
    (exact,) = extract("at or below 200% of poverty")
    assert not vague.hard and exact.hard
    assert exact.evidence == "200% of poverty" and exact.source == "text"


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("residents of Miami-Dade County", {"county": ["miami-dade"]}),
        ("Must reside in Miami Dade County", {"county": ["miami-dade"]}),
        ("All girls in Miami-Dade and Monroe Counties", {"county": ["miami-dade", "monroe"]}),
        ("Residents of Baltimore City only.", {"county": ["baltimore-city"]}),
        ("Florida residents", {"state": ["FL"]}),
        ("Residents of the City of Hialeah", {"city": ["hialeah"]}),
        (
            "Must reside within the areas of 33010, 33012, 33013",
            {"zip": ["33010", "33012", "33013"]},
        ),
    ],
)
def test_residency_is_read(text: str, params: dict[str, object]) -> None:
    assert ("residency", params) in _flat(text)


def test_a_facility_named_after_a_county_is_not_residency() -> None:
    assert _flat("Individuals held at Glades County Detention Center") == []


def test_several_places_in_one_listing_are_alternatives() -> None:
    (rule,) = extract("Residents of Baltimore City or Baltimore County")
    assert rule.kind == "residency" and rule.params == {"county": ["baltimore-city", "baltimore"]}


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("women only", "gender", "female"),
        ("Men 18 years old or older", "gender", "male"),
        ("veterans", "population", "veteran"),
        ("Pregnant women", "population", "pregnant"),
        ("Homeless individuals and families", "population", "homeless"),
        ("For all victims of domestic violence", "population", "violence_survivor"),
        ("People with developmental disabilities", "population", "disability"),
        ("Families with children", "population", "families_with_children"),
        ("Adults who have no health insurance", "insurance", "uninsured"),
        ("Must be Medicaid recipients", "insurance", "medicaid"),
        ("Bring a photo ID", "document", "id"),
        ("proof of address required", "document", "proof_of_address"),
        ("Bring pay stubs", "document", "proof_of_income"),
        ("Social Security card for each member", "document", "ss_card"),
    ],
)
def test_populations_gender_insurance_and_documents_are_read(
    text: str, kind: str, value: str
) -> None:
    assert (kind, {"value": value}) in _flat(text)


def test_pregnant_women_is_not_also_a_women_only_rule() -> None:
    assert ("gender", {"value": "female"}) not in _flat("Pregnant women")


def test_both_sexes_named_sets_no_gender_rule() -> None:
    assert all(k != "gender" for k, _ in _flat("Hispanic male and female patients"))


def test_documents_are_never_hard() -> None:
    assert all(not c.hard for c in extract("Must bring photo ID and proof of income"))


def test_no_id_required_is_not_a_document_rule() -> None:
    assert extract("Anyone in need. No ID or paperwork required.") == []


def test_optional_disability_is_not_a_disability_rule() -> None:
    assert _flat("Children 5-12 years old with or without disabilities") == [
        ("age", {"min": 5, "max": 12})
    ]


def test_either_or_becomes_one_any_of_criterion() -> None:
    (group,) = extract("Pregnant women or children under 3")
    assert group.kind == "any_of" and group.hard
    assert {(m.kind, repr(m.params)) for m in group.members} == {
        ("population", "{'value': 'pregnant'}"),
        ("age", "{'min': None, 'max': 2}"),
    }


def test_a_list_ending_in_or_is_one_group_and_a_following_limit_stays_separate() -> None:
    found = extract("Pregnant women or children under 5, with income at or below 185% of poverty.")
    kinds = sorted(c.kind for c in found)
    assert kinds == ["any_of", "income"]
    group = next(c for c in found if c.kind == "any_of")
    assert len(group.members) == 2


def test_a_rule_beside_an_unreadable_alternative_is_softened() -> None:
    found = extract("Individuals 16 years old or older, unemployed, disabled or disadvantaged.")
    assert found and all(not c.hard for c in found)


def test_and_their_families_softens_the_population_rule() -> None:
    (rule,) = extract("Veterans and their families.")
    assert rule.params == {"value": "veteran"} and not rule.hard


def test_every_criterion_keeps_its_words_and_a_confidence() -> None:
    for c in extract("Adults 18 and older living in Harford County. Women only."):
        assert isinstance(c, Criterion) and c.evidence and 0 < c.confidence <= 1


def test_text_with_literal_newlines_and_mojibake_is_cleaned() -> None:
    assert ("age", {"min": 18, "max": None}) in _flat("Open to all.\\nAdults 18 and older")


def test_empty_text_has_no_criteria() -> None:
    assert extract(None) == [] and extract("  ") == []


def test_an_age_before_a_comma_is_still_an_age() -> None:
    assert ("age", {"min": None, "max": 4}) in _flat(
        "Pregnant women or children under 5, with income"
    )
