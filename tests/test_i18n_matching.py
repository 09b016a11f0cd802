"""The matching explanations in Spanish: the sentence read to the client, the "ask the
client" prompts and the eligibility checklist follow the page's language; English
pages (and everything outside a request) read as before."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from test_match_service import HERE, place, term

from referral.directory import models as m
from referral.matching import sitetable
from referral.matching.criteria import Criterion, describe

QUERY = f"need=food-insecurity&detail-food-insecurity=groceries&near={HERE[0]},{HERE[1]}"


@pytest.fixture(autouse=True)
def fresh_site_table() -> Iterator[None]:
    sitetable.clear()
    yield
    sitetable.clear()


@pytest.fixture
def senior_pantry(session: Session) -> m.Service:
    pantry = term(session, "FOOD.PANTRY", "Food Pantry")
    return place(
        session,
        "Senior Pantry",
        pantry,
        1.0,
        eligibility_description="Seniors 60 years and older. Residents of Harford County.",
    )


def page(client: FlaskClient, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def test_the_match_page_in_spanish_explains_and_asks_in_spanish(
    client: FlaskClient, senior_pantry: m.Service
) -> None:
    text = page(client, f"/match?{QUERY}&lang=es")
    # The listing's words inside the sentence are marked as English (WCAG 3.1.2).
    assert (
        '<span lang="en">Senior Pantry</span> (<span lang="en">Senior Pantry Org</span>) '
        'ofrece <span lang="en">food pantry</span>, a 1.0 km.' in text
    )
    assert (
        "Es posible que el cliente cumpla los requisitos; antes verifique: "
        "edad de 60 años o más y vive en harford (condado)." in text
    )
    assert (
        "Pregunte al cliente por su edad: Edad de 60 años o más (¿Qué edad tiene el cliente?)"
        in text
    )
    assert "Pregunte al cliente por dónde vive: Vive en Harford (condado)" in text
    assert "Ask the client" not in text and "first check" not in text


def test_a_translated_term_is_offered_in_spanish(
    client: FlaskClient, session: Session, senior_pantry: m.Service
) -> None:
    pantry = session.query(m.TaxonomyTerm).filter_by(code="FOOD.PANTRY").one()
    session.add(
        m.TaxonomyTermTranslation(
            taxonomy_term_id=pantry.id, language="es", name="Despensa de alimentos"
        )
    )
    session.flush()
    text = page(client, f"/match?{QUERY}&lang=es")
    assert "ofrece despensa de alimentos, a 1.0 km." in text
    assert "offers food pantry" in page(client, f"/match?{QUERY}&lang=en")


def test_the_same_match_page_in_english_is_unchanged(
    client: FlaskClient, senior_pantry: m.Service
) -> None:
    text = page(client, f"/match?{QUERY}&lang=en")
    assert "Senior Pantry (Senior Pantry Org) offers food pantry, 1.0 km away." in text
    assert (
        "The client may qualify; first check: age 60 or older and lives in harford (county)."
        in text
    )
    assert "Ask the client about their age: Age 60 or older (How old is the client?)" in text
    assert "Ask the client about where they live: Lives in Harford (county)" in text
    assert "Pregunte" not in text


def test_the_service_checklist_in_spanish_names_rules_and_questions_in_spanish(
    client: FlaskClient, senior_pantry: m.Service
) -> None:
    spanish = page(client, f"/services/{senior_pantry.id}?age=45&lang=es")
    assert "Edad de 60 años o más" in spanish
    assert "Pregunte: ¿El cliente vive en Harford?" in spanish
    english = page(client, f"/services/{senior_pantry.id}?age=45&lang=en")
    assert "Age 60 or older" in english
    assert "Ask: Does the client live in Harford?" in english


def test_excluded_services_give_their_reason_in_spanish(
    client: FlaskClient, senior_pantry: m.Service
) -> None:
    text = page(client, f"/match?{QUERY}&age=45&lang=es")
    assert "Senior Pantry</a>: Edad de 60 años o más: el cliente tiene 45 años" in text


def test_the_api_answers_in_json_in_the_requested_language(
    client: FlaskClient, senior_pantry: m.Service
) -> None:
    body = {
        "location": {"lat": HERE[0], "lon": HERE[1]},
        "needs": [{"domain": "food-insecurity", "detail": "groceries"}],
    }
    english = client.post("/api/v1/match", json=body).get_json()["needs"][0]["results"][0]
    assert english["asks"][0].startswith("Ask the client about their age")
    response = client.post("/api/v1/match", json=body, headers={"Accept-Language": "es"})
    spanish = response.get_json()["needs"][0]["results"][0]
    assert spanish["asks"][0].startswith("Pregunte al cliente por su edad")
    criteria = spanish["eligibility"]["criteria"]
    assert {c["criterion"] for c in criteria} >= {"Edad de 60 años o más"}
    assert {c["ask"] for c in criteria} >= {"¿Qué edad tiene el cliente?"}


def test_rules_read_in_english_outside_a_request_and_in_spanish_inside_one(app: Flask) -> None:
    rule = Criterion("income", {"fpl_percent": 200})
    assert describe(rule) == "Household income at or below 200% of the federal poverty level"
    with app.test_request_context("/?lang=es"):
        assert describe(rule) == (
            "Ingresos del hogar iguales o inferiores al 200% del nivel federal de pobreza"
        )
