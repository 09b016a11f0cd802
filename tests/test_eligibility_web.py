"""The eligibility checklist on a service's page (GET form with ad-hoc facts)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from referral.directory import models as m


def _service(session: Session) -> str:
    service = m.Service(
        name="Senior lunch",
        status="active",
        eligibility_description="Seniors 60 years and older. Residents of Harford County.",
    )
    session.add(service)
    session.flush()
    return service.id


def test_the_page_offers_the_form_without_a_verdict(client: FlaskClient, session: Session) -> None:
    page = client.get(f"/services/{_service(session)}").get_data(as_text=True)
    assert "Does my client qualify?" in page
    assert 'method="get"' in page
    assert "Not eligible" not in page and "Likely eligible" not in page


def test_facts_in_the_query_show_each_criterion_with_evidence(
    client: FlaskClient, session: Session
) -> None:
    page = client.get(f"/services/{_service(session)}?age=45").get_data(as_text=True)
    assert "Not eligible" in page
    assert "Age 60 or older" in page and "60 years and older" in page
    assert "Ask: Does the client live in Harford?" in page


def test_a_matching_client_is_likely_eligible(client: FlaskClient, session: Session) -> None:
    page = client.get(f"/services/{_service(session)}?age=70&county=Harford").get_data(as_text=True)
    assert "Likely eligible" in page


def test_a_bad_fact_is_a_form_message_naming_the_field(
    client: FlaskClient, session: Session
) -> None:
    response = client.get(f"/services/{_service(session)}?age=-3&income=lots")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'role="alert"' in page and "Age:" in page
    assert 'aria-invalid="true"' in page
