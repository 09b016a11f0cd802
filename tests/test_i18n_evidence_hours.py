"""Eligibility evidence and opening-hours notes in the reader's language: what we say
about a listing (its HSDS age and area fields, a provider's own rule, monthly hours,
dated exceptions, clock times) follows the page's language, while the listing's own
words stay as written. English pages (and everything outside a request) read as before."""

from __future__ import annotations

import html
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from referral.directory import hours
from referral.directory import models as m
from referral.matching.criteria import Criterion, Evaluation, quotes_listing, shown_evidence
from referral.matching.models import EligibilityCriterion
from referral.referrals import share

AGE_FIELD = Criterion("age", {"min": 5, "max": None}, True, "hsds-field", "minimum_age: 5", 1.0)
# Areas as ``eligibility._from_fields`` writes them; the second has no name, only a map.
AREAS = [
    {"id": "a1", "name": "Harford County", "has_extent": False},
    {"id": "a2", "name": None, "has_extent": True},
]
AREA_FIELD = Criterion("residency", {"areas": AREAS}, True, "hsds-field", "Service area: x")
# A far-off date, so the exception is never in the past; 25 December 2030 is a Wednesday.
HOLIDAY = date(2030, 12, 25)


def shown(app: Flask, criterion: Criterion, lang: str) -> str | None:
    with app.test_request_context(f"/?lang={lang}"):
        return shown_evidence(criterion)


def page(client: FlaskClient, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


# --- eligibility evidence -------------------------------------------------------------


def test_evidence_from_the_age_fields_reads_in_the_pages_language(app: Flask) -> None:
    assert shown(app, AGE_FIELD, "es") == "Edad mínima: 5"
    assert shown(app, AGE_FIELD, "en") == "Minimum age: 5"
    both = Criterion("age", {"min": 18, "max": 64}, True, "hsds-field", "x")
    assert shown(app, both, "es") == "Edad mínima: 18; edad máxima: 64"
    up_to = Criterion("age", {"min": None, "max": 17}, True, "hsds-field", "x")
    assert shown(app, up_to, "en") == "Maximum age: 17"
    assert not quotes_listing(AGE_FIELD)


def test_evidence_from_the_service_areas_reads_in_the_pages_language(app: Flask) -> None:
    assert shown(app, AREA_FIELD, "es") == "Área de servicio: Harford County, zona del mapa"
    assert shown(app, AREA_FIELD, "en") == "Service area: Harford County, map area"


def test_a_criterion_stored_with_the_old_english_summary_still_reads_in_spanish(
    app: Flask,
) -> None:
    old = Criterion(
        "age", {"min": 5, "max": None}, True, "hsds-field", "minimum_age: 5, maximum_age: -"
    )
    assert shown(app, old, "es") == "Edad mínima: 5"
    with app.test_request_context("/?lang=es"):
        row = Evaluation(old, "unknown", "no age given").to_dict()
    assert row["evidence"] == "Edad mínima: 5" and row["evidence_quoted"] is False


def test_the_listings_own_words_are_quoted_as_written(app: Flask) -> None:
    quote = Criterion("age", {"min": 60, "max": None}, True, "text", "60 years and older", 0.9)
    document = Criterion("document", {"value": "id"}, False, "hsds-field", "Photo ID")
    for criterion in (quote, document):
        assert shown(app, criterion, "es") == criterion.evidence
        assert quotes_listing(criterion)


def test_a_provider_rule_says_who_stated_it_in_the_pages_language(app: Flask) -> None:
    stated = Criterion("age", {"min": 21, "max": None}, True, "provider", "Stated by the provider")
    own_words = Criterion("population", {"value": "veteran"}, True, "provider", "Veterans only")
    assert shown(app, stated, "es") == "Indicado por el proveedor"
    assert not quotes_listing(stated)
    assert shown(app, own_words, "es") == "Veterans only" and quotes_listing(own_words)


def _fields_service(session: Session) -> m.Service:
    service = m.Service(name="Kids club", status="active", minimum_age=5)
    session.add(service)
    session.flush()
    session.add(m.ServiceArea(service_id=service.id, name="Harford County"))
    session.flush()
    return service


def test_the_checklist_in_spanish_tells_field_evidence_and_quotes_the_text(
    client: FlaskClient, session: Session
) -> None:
    service = _fields_service(session)
    service.eligibility_description = "Children 5 years and older. Bring proof of address."
    session.flush()
    text = page(client, f"/services/{service.id}?age=4&lang=es")
    assert "De los datos de la ficha: Edad mínima: 5" in text
    area = '<span lang="en">Harford County</span>'  # the listing's name for it, marked
    assert f"De los datos de la ficha: Área de servicio: {area}" in text
    assert 'La ficha dice: «<span lang="en">proof of address</span>»' in text
    assert "minimum_age" not in text and "Service area:" not in text
    english = page(client, f"/services/{service.id}?age=4&lang=en")
    assert "From the listing's details: Service area: Harford County" in english


def test_a_stored_row_with_old_english_evidence_reads_in_spanish_on_page_and_api(
    client: FlaskClient, session: Session
) -> None:
    service = m.Service(name="Teen center", status="active")
    session.add(service)
    session.flush()
    session.add(
        EligibilityCriterion(
            service_id=service.id, kind="age", params={"min": 13, "max": 19}, hard=True,
            source="hsds-field", evidence="minimum_age: 13, maximum_age: 19", confidence=1.0,
        )
    )  # fmt: skip
    session.flush()
    text = page(client, f"/services/{service.id}?age=15&lang=es")
    assert "De los datos de la ficha: Edad mínima: 13; edad máxima: 19" in text
    assert "minimum_age" not in text
    body = {"service_id": service.id, "client": {"facts": {"age": 15}}}
    for lang, expected in (("es", "Edad mínima: 13; edad máxima: 19"),
                           ("en", "Minimum age: 13; maximum age: 19")):  # fmt: skip
        data = client.post(f"/api/v1/eligibility?lang={lang}", json=body).get_json()
        assert data["criteria"][0]["evidence"] == expected
        assert data["criteria"][0]["evidence_quoted"] is False


# --- opening hours --------------------------------------------------------------------


def _schedules(service_id: str | None = None) -> list[m.Schedule]:
    return [
        m.Schedule(service_id=service_id, freq="WEEKLY", byday="MO", opens_at="09:00",
                   closes_at="17:30"),
        m.Schedule(service_id=service_id, freq="MONTHLY", byday="1MO", opens_at="10:00",
                   closes_at="12:00"),
        m.Schedule(service_id=service_id, freq="MONTHLY", byday="-1FR", opens_at="18:00"),
        m.Schedule(service_id=service_id, freq="MONTHLY", byday="SA", closes_at="12:00"),
        m.Schedule(service_id=service_id, valid_from=HOLIDAY, valid_to=HOLIDAY),
        m.Schedule(service_id=service_id, valid_from=date(2030, 12, 31),
                   valid_to=date(2030, 12, 31), description="Inventory day"),
    ]  # fmt: skip


def _texts(app: Flask, weekly: hours.WeeklyHours, lang: str) -> tuple[list[str], list[str]]:
    with app.test_request_context(f"/?lang={lang}"):
        return [str(s) for d in weekly.days for s in d.spans], [str(n) for n in weekly.notes]


def test_hours_notes_and_times_read_in_spanish(app: Flask) -> None:
    weekly = hours.weekly_hours(_schedules(), date(2030, 1, 1))
    spans, notes = _texts(app, weekly, "es")
    assert spans == ["9:00 – 17:30"]
    assert notes == [
        "El primer lunes del mes: 10:00 – 12:00",
        "El último viernes del mes: desde 18:00",
        "Algunos sábados de cada mes: hasta 12:00",
        "Miércoles, 25 de diciembre de 2030: Cerrado",
        "Martes, 31 de diciembre de 2030: Inventory day",
    ]


def test_a_closure_saved_by_the_hours_editor_reads_in_spanish(app: Flask) -> None:
    from referral.provider.hours_form import CLOSED_NOTE

    closure = m.Schedule(valid_from=HOLIDAY, valid_to=HOLIDAY, description=CLOSED_NOTE)
    weekly = hours.weekly_hours([closure], date(2030, 1, 1))
    assert _texts(app, weekly, "es")[1] == ["Miércoles, 25 de diciembre de 2030: Cerrado"]
    assert _texts(app, weekly, "en")[1] == ["Wednesday, December 25, 2030: Closed"]


def test_hours_notes_and_times_in_english_are_unchanged(app: Flask) -> None:
    weekly = hours.weekly_hours(_schedules(), date(2030, 1, 1))
    expected = [
        "The first Monday of the month: 10:00 AM – 12:00 PM",
        "The last Friday of the month: from 6:00 PM",
        "Some Saturdays each month: until 12:00 PM",
        "Wednesday, December 25, 2030: Closed",
        "Tuesday, December 31, 2030: Inventory day",
    ]
    assert _texts(app, weekly, "en") == (["9:00 AM – 5:30 PM"], expected)
    assert [str(n) for n in weekly.notes] == expected  # outside a request: English
    assert weekly.days[0].spans == ("9:00 AM – 5:30 PM",)


def test_the_service_page_in_spanish_shows_the_hours_notes_in_spanish(
    client: FlaskClient, session: Session
) -> None:
    service = m.Service(name="Pantry", status="active")
    session.add(service)
    session.flush()
    session.add_all(_schedules(service.id))
    session.flush()
    text = page(client, f"/services/{service.id}?lang=es")
    # Our words, not the listing's: no lang="en" mark on them.
    assert "<li>El primer lunes del mes: 10:00 – 12:00</li>" in text
    assert "Miércoles, 25 de diciembre de 2030: Cerrado" in text
    assert "of the month" not in text and "December" not in text


def test_a_share_text_gives_the_hours_in_the_clients_language_not_the_readers(
    app: Flask,
) -> None:
    weekly = hours.weekly_hours(_schedules(), date(2030, 1, 1))
    with app.test_request_context("/?lang=es"):  # a Spanish-speaking case manager
        english = share.hours_lines(weekly, "en")
        spanish = share.hours_lines(weekly, "es")
    assert english[:2] == [
        "Mon: 9:00 AM – 5:30 PM",
        "The first Monday of the month: 10:00 AM – 12:00 PM",
    ]
    assert spanish[:2] == ["lun: 9:00 – 17:30", "El primer lunes del mes: 10:00 – 12:00"]


# --- form messages ----------------------------------------------------------------------


def test_a_bad_fact_on_the_spanish_match_page_and_checklist_is_said_in_spanish(
    client: FlaskClient, session: Session
) -> None:
    text = page(client, "/match?need=food-insecurity&age=abc&lang=es")
    assert "Edad: debe ser un número, no 'abc'" in text
    text = page(client, "/match?age=40&lang=es")
    assert "Necesidades: elija al menos una necesidad" in text
    service = m.Service(name="Lunch", status="active")
    session.add(service)
    session.flush()
    text = page(client, f"/services/{service.id}?household_size=0&lang=es")
    assert "Tamaño del hogar: '0' está fuera del rango (de 1 a 30)" in text
    english = page(client, f"/services/{service.id}?household_size=0&lang=en")
    assert "Household size: '0' is out of range (1 to 30)" in english
