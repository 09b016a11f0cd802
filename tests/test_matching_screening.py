"""The AHC core screening questions turned into needs."""

from __future__ import annotations

import pytest

from referral.matching.assessment import InvalidClient, parse_client
from referral.matching.screening import QUESTIONS, needs_from_screening


def _domains(answers: dict[str, object]) -> list[str]:
    return [n.domain for n in needs_from_screening(answers)]


def test_no_problems_means_no_needs() -> None:
    answers = {
        "living_situation": "steady", "housing_problems": ["none"], "food_worry": "never",
        "food_ran_out": "never", "transportation": "no", "utilities": "no",
        "safety_hurt": "never", "safety_insult": "never", "safety_threaten": "never",
        "safety_scream": "never",
    }  # fmt: skip
    assert _domains(answers) == []
    assert {q.id for q in QUESTIONS} == set(answers)


def test_housing_answers_become_housing_needs() -> None:
    assert _domains({"living_situation": "worried"}) == ["housing-instability"]
    (need,) = needs_from_screening({"living_situation": "no-steady-place"})
    assert need.domain == "homelessness" and need.urgency == "urgent"
    assert _domains({"housing_problems": ["mold", "pests"]}) == ["inadequate-housing"]


def test_either_food_question_answered_sometimes_is_a_food_need() -> None:
    assert _domains({"food_worry": "sometimes", "food_ran_out": "never"}) == ["food-insecurity"]
    assert _domains({"food_worry": "never", "food_ran_out": "often"}) == ["food-insecurity"]


def test_transport_and_utilities() -> None:
    assert _domains({"transportation": "yes"}) == ["transportation-insecurity"]
    (need,) = needs_from_screening({"utilities": "shut-off"})
    assert need.domain == "utility-insecurity" and need.urgency == "urgent"


def test_a_safety_score_of_eleven_or_more_is_a_need() -> None:
    ten = {"safety_hurt": "rarely", "safety_insult": "sometimes", "safety_threaten": "rarely",
           "safety_scream": "sometimes"}  # fmt: skip
    assert _domains(ten) == []
    eleven = {**ten, "safety_scream": "fairly-often"}
    assert _domains(eleven) == ["intimate-partner-violence"]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"favourite_food": "pie"}, "screening.favourite_food"),
        ({"transportation": "maybe"}, "screening.transportation"),
        ({"housing_problems": ["ghosts"]}, "screening.housing_problems"),
    ],
)
def test_bad_answers_name_the_question(answers: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidClient) as caught:
        parse_client({"screening": answers})
    assert caught.value.field == field


def test_screening_needs_join_stated_needs_without_duplicates() -> None:
    client = {
        "needs": [{"domain": "food-insecurity", "detail": "baby formula"}],
        "screening": {"food_worry": "often", "transportation": "yes"},
    }
    needs = parse_client(client).needs
    assert [(n.domain, n.detail) for n in needs] == [
        ("food-insecurity", "baby formula"),
        ("transportation-insecurity", None),
    ]
