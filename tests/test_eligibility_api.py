"""``POST /api/v1/eligibility`` and ``referral check``: shapes and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from referral import db
from referral.cli import main
from referral.directory import models as m
from referral.matching.models import EligibilityCriterion

SENIOR_TEXT = "Seniors 60 years and older. Residents of Harford County. Bring photo ID."


def add_service(session: Session, text: str = SENIOR_TEXT, **fields: object) -> m.Service:
    service = m.Service(
        name="Senior lunch", status="active", eligibility_description=text, **fields
    )
    session.add(service)
    session.flush()
    return service


def post(client: FlaskClient, body: object) -> tuple[int, dict[str, object], str]:
    response = client.post("/api/v1/eligibility", json=body)
    return response.status_code, response.get_json(), response.mimetype


def test_the_check_answers_status_and_a_checklist(client: FlaskClient, session: Session) -> None:
    service = add_service(session)
    body = {"service_id": service.id, "client": {"facts": {"age": 67, "county": "Harford"}}}
    status, data, _ = post(client, body)
    assert status == 200
    assert data["service_id"] == service.id and data["status"] == "eligible"
    rows = {row["criterion"]: row for row in data["criteria"]}  # type: ignore[union-attr]
    assert rows["Age 60 or older"]["status"] == "met"
    assert rows["Age 60 or older"]["evidence"] == "60 years and older"
    assert rows["Lives in Harford (county)"]["status"] == "met"
    assert rows["Bring photo ID"] == {
        **rows["Bring photo ID"],
        "status": "unknown",
        "ask": "Can the client bring photo ID?",
    }
    for row in data["criteria"]:  # type: ignore[union-attr]
        assert {"criterion", "status", "evidence", "ask"} <= set(row)


def test_a_failed_hard_rule_makes_the_client_ineligible(
    client: FlaskClient, session: Session
) -> None:
    service = add_service(session)
    status, data, _ = post(client, {"service_id": service.id, "client": {"facts": {"age": 40}}})
    assert status == 200 and data["status"] == "ineligible"


def test_missing_facts_give_unknown_with_questions(client: FlaskClient, session: Session) -> None:
    service = add_service(session)
    status, data, _ = post(client, {"service_id": service.id, "client": {}})
    assert status == 200 and data["status"] == "unknown"
    assert "How old is the client?" in data["asks"]  # type: ignore[operator]


def test_stored_provider_criteria_are_part_of_the_check(
    client: FlaskClient, session: Session
) -> None:
    service = add_service(session, text="Open to all.")
    session.add(
        EligibilityCriterion(
            service_id=service.id,
            kind="population",
            params={"value": "veteran"},
            hard=True,
            source="provider",
            evidence="Veterans only",
            confidence=1.0,
        )
    )
    session.flush()
    status, data, _ = post(
        client, {"service_id": service.id, "client": {"facts": {"veteran": False}}}
    )
    assert status == 200 and data["status"] == "ineligible"
    assert data["criteria"][0]["evidence"] == "Veterans only"  # type: ignore[index]


def test_a_zip_location_is_checked_against_the_service_area_map(
    client: FlaskClient, session: Session
) -> None:
    ring = [[-76.72, 39.19], [-76.52, 39.19], [-76.52, 39.38], [-76.72, 39.38], [-76.72, 39.19]]
    square = json.dumps({"type": "Polygon", "coordinates": [ring]})
    service = add_service(session, text="Open to all.")
    session.add(
        m.ServiceArea(
            service_id=service.id, name="Central Baltimore", extent=square, extent_type="geojson"
        )
    )
    session.flush()
    inside = {"service_id": service.id, "client": {"location": {"postal_code": "21201"}}}
    outside = {"service_id": service.id, "client": {"location": {"postal_code": "21014"}}}
    assert post(client, inside)[1]["status"] == "eligible"
    assert post(client, outside)[1]["status"] == "ineligible"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([1, 2], "body"),
        ({"client": {}}, "service_id"),
        ({"service_id": "x"}, "client"),
        ({"service_id": "x", "client": {"facts": {"age": -3}}}, "client.facts.age"),
        (
            {"service_id": "x", "client": {"facts": {"monthly_income": "lots"}}},
            "client.facts.monthly_income",
        ),
        (
            {"service_id": "x", "client": {"needs": [{"domain": "snacks"}]}},
            "client.needs[0].domain",
        ),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    client: FlaskClient, body: object, field: str
) -> None:
    status, data, mimetype = post(client, body)
    assert status == 400 and mimetype == "application/problem+json"
    assert data["field"] == field and data["detail"]


def test_an_unknown_service_is_a_404_problem(client: FlaskClient) -> None:
    status, data, mimetype = post(client, {"service_id": "nope", "client": {}})
    assert status == 404 and mimetype == "application/problem+json"
    assert data["field"] == "service_id" and "nope" in data["detail"]  # type: ignore[operator]


# --- referral check -------------------------------------------------------------------


@pytest.fixture
def cli_service(cli_env: dict[str, str]) -> tuple[dict[str, str], str]:
    engine = db.make_engine(cli_env["REFERRAL_DATABASE_URL"])
    try:
        db.upgrade(engine)
        with Session(engine) as session, session.begin():
            service_id = add_service(session).id
    finally:
        engine.dispose()
    return cli_env, service_id


def check(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args], env=env, catch_exceptions=False)


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "client.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def test_check_prints_the_checklist(
    cli_service: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    env, service_id = cli_service
    result = check(
        env, "--service", service_id, "--client", write(tmp_path, {"facts": {"age": 45}})
    )
    assert result.exit_code == 0, result.output
    assert "Verdict: ineligible" in result.output
    assert "[not met] Age 60 or older" in result.output
    assert 'listing says: "60 years and older"' in result.output
    assert "ask: Does the client live in Harford?" in result.output


def test_check_json_matches_the_api_shape(
    cli_service: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    env, service_id = cli_service
    client_file = write(tmp_path, {"facts": {"age": 70, "county": "Harford County"}})
    result = check(env, "--service", service_id, "--client", client_file, "--json")
    data = json.loads(result.output)
    assert data["service_id"] == service_id and data["status"] == "eligible"
    assert {"criterion", "status", "evidence", "ask"} <= set(data["criteria"][0])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"facts": {"age": "old"}}, "facts.age"),
        ("{not json", "not valid JSON"),
        ({"facts": {"favourite_colour": "red"}}, "facts.favourite_colour"),
    ],
)
def test_check_refuses_a_bad_client_file_naming_the_problem(
    cli_service: tuple[dict[str, str], str], tmp_path: Path, content: object, message: str
) -> None:
    env, service_id = cli_service
    result = check(env, "--service", service_id, "--client", write(tmp_path, content))
    assert result.exit_code != 0 and message in result.output


def test_check_names_an_unknown_service(
    cli_service: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    env, _ = cli_service
    result = check(env, "--service", "missing-id", "--client", write(tmp_path, {}))
    assert result.exit_code != 0 and "missing-id" in result.output


def test_check_names_a_missing_client_file(
    cli_service: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    env, service_id = cli_service
    result = check(env, "--service", service_id, "--client", str(tmp_path / "nowhere.json"))
    assert result.exit_code != 0 and "nowhere.json" in result.output
