"""Matching against a database: candidates, the API, the CLI and the page, over a small
directory built in each test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from referral import db
from referral.cli import main
from referral.directory import models as m
from referral.matching import sitetable
from referral.matching.assessment import parse_client
from referral.matching.match import match
from referral.matching.train import MIN_OUTCOMES, active_weights, save, train

HERE = (39.2904, -76.6122)  # downtown Baltimore


@pytest.fixture(autouse=True)
def fresh_site_table() -> Iterator[None]:
    sitetable.clear()
    yield
    sitetable.clear()


def term(session: Session, code: str, name: str) -> m.TaxonomyTerm:
    found = m.TaxonomyTerm(code=code, name=name, description=f"{name} help")
    session.add(found)
    session.flush()
    return found


def place(
    session: Session,
    name: str,
    code_term: m.TaxonomyTerm,
    km_north: float,
    org: m.Organization | None = None,
    **fields: object,
) -> m.Service:
    org = org or m.Organization(name=f"{name} Org", description="An organization")
    service = m.Service(
        name=name, status=fields.pop("status", "active"), organization=org, **fields
    )
    location = m.Location(
        location_type="physical",
        name=f"{name} site",
        latitude=HERE[0] + km_north / 111.2,
        longitude=HERE[1],
    )
    session.add_all([service, location])
    session.flush()
    session.add(m.ServiceAtLocation(service_id=service.id, location_id=location.id))
    session.add(
        m.Attribute(
            link_id=service.id,
            taxonomy_term_id=code_term.id,
            link_type="service_taxonomy",
            link_entity="service",
        )
    )
    session.flush()
    return service


@pytest.fixture
def directory(session: Session) -> dict[str, m.Service]:
    pantry = term(session, "FOOD.PANTRY", "Food Pantry")
    meals = term(session, "FOOD.MEALS", "Hot Meals")
    return {
        "near": place(session, "Near Pantry", pantry, 1.0),
        "far": place(session, "Far Pantry", pantry, 6.0),
        "kids": place(session, "Kids Meals", meals, 0.5, minimum_age=5, maximum_age=13),
        "closed": place(session, "Closed Pantry", pantry, 0.2, status="temporarily closed"),
    }


def client_json(**facts: object) -> dict[str, object]:
    return {
        "location": {"lat": HERE[0], "lon": HERE[1]},
        "facts": facts,
        "needs": [{"domain": "food-insecurity", "detail": "groceries"}],
    }


def test_match_ranks_nearer_first_and_sets_aside_the_ineligible_and_the_closed(
    session: Session, directory: dict[str, m.Service]
) -> None:
    result = match(session, parse_client(client_json(age=67)))
    need = result.needs[0]
    assert [r.candidate.service_name for r in need.results] == ["Near Pantry", "Far Pantry"]
    reasons = {e.service_name: e.reason for e in need.excluded}
    assert reasons == {
        "Kids Meals": "Age 5 to 13: client is 67",
        "Closed Pantry": "Temporarily closed",
    }


def test_a_directory_without_the_needs_taxonomy_is_matched_by_text(session: Session) -> None:
    foreign = term(session, "BD-1800", "Emergency Food")
    place(
        session,
        "Westside Grocery Shelf",
        foreign,
        1.0,
        description="Free groceries and food boxes every week.",
    )
    place(session, "Tax Clinic", foreign, 0.5, description="Free tax preparation for workers.")
    need = match(session, parse_client(client_json())).needs[0]
    assert [r.candidate.service_name for r in need.results] == ["Westside Grocery Shelf"]
    assert "matched on its description" in need.results[0].explanation


def test_the_json_shape_of_a_match(session: Session, directory: dict[str, m.Service]) -> None:
    data = match(session, parse_client(client_json(age=30))).to_dict()
    need = data["needs"][0]
    assert need["domain"] == "food-insecurity"
    first = need["results"][0]
    assert {
        "service_at_location_id", "service_id", "service_name", "organization_name", "score",
        "distance_km", "eligibility", "explanation", "asks", "factors",
    } <= set(first)  # fmt: skip
    assert first["eligibility"]["status"] in ("eligible", "unknown")
    assert isinstance(first["eligibility"]["criteria"], list)
    assert first["distance_km"] == pytest.approx(1.0, abs=0.01)
    assert need["excluded"][0].keys() >= {"service_id", "reason"}


# --- API ----------------------------------------------------------------------------


def test_the_api_answers_a_ranked_list_per_need(
    client: FlaskClient, session: Session, directory: dict[str, m.Service]
) -> None:
    response = client.post("/api/v1/match", json=client_json(age=67))
    assert response.status_code == 200
    names = [r["service_name"] for r in response.get_json()["needs"][0]["results"]]
    assert names == ["Near Pantry", "Far Pantry"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"facts": {"age": -3}, "needs": ["food-insecurity"]}, "facts.age"),
        (
            {"facts": {"monthly_income": "lots"}, "needs": ["food-insecurity"]},
            "facts.monthly_income",
        ),
        ({"facts": {"shoe_size": 9}, "needs": ["food-insecurity"]}, "facts.shoe_size"),
        ({"needs": [{"domain": "hungry"}]}, "needs[0].domain"),
        ({"needs": []}, "needs"),
        ({"client": {"needs": ["food-insecurity"]}, "top": 0}, "top"),
        ({"client": {"needs": ["nope"]}}, "client.needs[0].domain"),
    ],
)
def test_api_errors_name_the_field(
    client: FlaskClient, body: dict[str, object], field: str
) -> None:
    response = client.post("/api/v1/match", json=body)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["field"] == field


# --- page ---------------------------------------------------------------------------


def test_the_page_shows_results_with_links_carrying_the_facts(
    client: FlaskClient, session: Session, directory: dict[str, m.Service]
) -> None:
    query = f"need=food-insecurity&detail-food-insecurity=groceries&near={HERE[0]},{HERE[1]}&age=67"
    page = client.get(f"/match?{query}").get_data(as_text=True)
    assert "Near Pantry" in page and "Far Pantry" in page
    assert f"/services/{directory['near'].id}?age=67" in page
    assert "Kids Meals</a>: Age 5 to 13: client is 67" in page


def test_the_page_marks_a_bad_field_and_answers_400(client: FlaskClient) -> None:
    response = client.get("/match?need=food-insecurity&age=-3")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'href="#f-age"' in page and 'aria-invalid="true"' in page


def test_the_empty_page_is_a_form(client: FlaskClient) -> None:
    page = client.get("/match").get_data(as_text=True)
    assert 'name="need" value="food-insecurity"' in page


# --- CLI ----------------------------------------------------------------------------


@pytest.fixture
def cli_directory(cli_env: dict[str, str]) -> dict[str, str]:
    engine = db.make_engine(cli_env["REFERRAL_DATABASE_URL"])
    try:
        db.upgrade(engine)
        with Session(engine) as session, session.begin():
            pantry = term(session, "FOOD.PANTRY", "Food Pantry")
            place(session, "Near Pantry", pantry, 1.0)
    finally:
        engine.dispose()
    return cli_env


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "client.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_referral_match_json_has_the_documented_shape(
    cli_directory: dict[str, str], tmp_path: Path
) -> None:
    result = run(
        cli_directory,
        "match",
        "--client",
        write(tmp_path, client_json(age=40)),
        "--json",
        "--top",
        "3",
    )
    assert result.exit_code == 0, result.output
    need = json.loads(result.output)["needs"][0]
    assert need["results"][0]["service_name"] == "Near Pantry"
    assert need["excluded"] == []


def test_referral_match_prints_an_explained_list(
    cli_directory: dict[str, str], tmp_path: Path
) -> None:
    result = run(cli_directory, "match", "--client", write(tmp_path, client_json()))
    assert result.exit_code == 0, result.output
    assert "1. Near Pantry" in result.output and "offers food pantry, 1.0 km away" in result.output


def test_referral_match_names_the_bad_field(cli_directory: dict[str, str], tmp_path: Path) -> None:
    bad = {"facts": {"monthly_income": "lots"}, "needs": ["food-insecurity"]}
    result = CliRunner().invoke(
        main, ["match", "--client", write(tmp_path, bad)], env=cli_directory
    )
    assert result.exit_code != 0
    assert "facts.monthly_income" in result.output


@pytest.mark.parametrize(
    ("client", "field"),
    [
        ({"facts": {"age": -3}, "needs": ["food-insecurity"]}, "facts.age"),
        ({"facts": {"shoe_size": 9}, "needs": ["food-insecurity"]}, "facts.shoe_size"),
        (
            {"facts": {"household_size": "many"}, "needs": ["food-insecurity"]},
            "facts.household_size",
        ),
        ({"needs": [{"domain": "hunger"}]}, "needs[0].domain"),
        ({"needs": [{"domain": "food-insecurity", "urgency": "asap"}]}, "needs[0].urgency"),
        ({"facts": {"age": 30}}, "needs"),
        (
            {"location": {"postal_code": "ABCDE"}, "needs": ["food-insecurity"]},
            "location.postal_code",
        ),
    ],
)
def test_referral_match_refuses_bad_client_files_naming_the_field(
    cli_directory: dict[str, str], tmp_path: Path, client: dict[str, object], field: str
) -> None:
    result = CliRunner().invoke(
        main, ["match", "--client", write(tmp_path, client)], env=cli_directory
    )
    assert result.exit_code != 0
    assert f"{field}:" in result.output
    assert "Traceback" not in result.output


def test_referral_train_without_outcomes_says_so_and_changes_nothing(
    cli_directory: dict[str, str],
) -> None:
    result = run(cli_directory, "train")
    assert result.exit_code == 0
    assert "Not enough referral outcomes" in result.output and str(MIN_OUTCOMES) in result.output
    assert not (Path(cli_directory["REFERRAL_INSTANCE_DIR"]) / "match_weights.json").exists()


def test_train_reports_too_few_outcomes(session: Session, tmp_path: Path) -> None:
    report = train(session, tmp_path)
    assert report.outcomes == 0 and report.fitted is None and not report.adopted


def test_only_adopted_fitted_weights_are_used(tmp_path: Path) -> None:
    from referral.matching.scoring import WEIGHTS

    weights = {k: round(1 / len(WEIGHTS), 4) for k in WEIGHTS}
    save(tmp_path, {"weights": weights, "adopted": False})
    assert active_weights(tmp_path) is None
    save(tmp_path, {"weights": weights, "adopted": True})
    assert active_weights(tmp_path) == weights


def test_follow_through_is_the_prior_without_outcomes_and_smoothed_with_them(
    session: Session,
) -> None:
    from referral.matching.followthrough import PRIOR_RATE, follow_through, smoothed_rate
    from referral.referrals.models import Client, Referral

    good, poor, quiet = (m.Organization(name=n, description="x") for n in ("Good", "Poor", "Quiet"))
    session.add_all([good, poor, quiet])
    session.flush()
    assert follow_through(session, [good.id]) == {good.id: PRIOR_RATE}
    pantry = place(session, "Pantry", term(session, "FOOD.PANTRY", "Food Pantry"), 1.0, org=good)
    sal = session.query(m.ServiceAtLocation).filter_by(service_id=pantry.id).one()
    person = Client(organization_id=quiet.id, given_name="A", family_name="B")
    session.add(person)
    session.flush()
    for i, (org, status, outcome) in enumerate(
        [(good, "completed", "got-help")] * 3
        + [(poor, "failed", "could-not-contact")] * 2
        + [(poor, "completed", "got-help"), (poor, "completed", "not-eligible")]
        + [(poor, "cancelled", None)]
    ):
        session.add(
            Referral(
                client_id=person.id, need_code="food-insecurity", service_at_location_id=sal.id,
                referrer_organization_id=quiet.id, recipient_organization_id=org.id,
                status=status, outcome=outcome, idempotency_key=f"k{i}", version=1,
            )
        )  # fmt: skip
    session.flush()
    rates = follow_through(session, [good.id, poor.id, quiet.id])
    # Got help over provider-closed, everywhere: a completion without help and the
    # cancelled referral (the referrer's decision) do not count as follow-through.
    prior = 4 / 7
    assert rates[good.id] == pytest.approx(smoothed_rate(3, 3, prior))
    assert rates[poor.id] == pytest.approx(smoothed_rate(1, 4, prior))
    assert rates[quiet.id] == pytest.approx(prior)
    assert rates[good.id] > rates[quiet.id] > rates[poor.id]
