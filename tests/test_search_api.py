"""GET /api/v1/search and the ``referral search`` / ``reindex`` / ``bench search`` commands."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session
from test_search import listing, term

from referral import db
from referral.cli import main


def test_search_api_returns_results_totals_facets_and_paging(client, session):
    food = term(session, "Food")
    listing(session, "Food Pantry", terms=[food], languages=["es"])
    listing(session, "Dental Clinic")
    first = client.get("/api/v1/search?q=pantry").get_json()
    assert first["degraded"] is True and first["total"] == 1  # no index yet: the database answers
    response = client.get("/api/v1/search?q=fod+pantry&near=25.76,-80.19&per_page=5")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 5
    assert body["results"][0]["service_name"] == "Food Pantry"
    assert body["results"][0]["distance_km"] is not None
    assert body["facets"]["taxonomy"] == [{"value": food.id, "label": "Food", "count": 1}]
    assert body["did_you_mean"] == "food pantry"
    assert body["degraded"] is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("near=95,10", "near"),
        ("near=abc", "near"),
        ("lat=10", "lon"),
        ("near=25,-80&radius_km=-5", "radius_km"),
        ("near=25,-80&radius_km=lots", "radius_km"),
        ("near=25,-80&radius_km=5000", "radius_km"),
        ("radius_km=5", "radius_km"),
        ("open_at=next+tuesday", "open_at"),
        ("taxonomy=not-a-term", "taxonomy"),
        ("per_page=100000", "per_page"),
        ("page=0", "page"),
        ("age=old", "age"),
        ("free=maybe", "free"),
        ("status=closed", "status"),
        ("sort=distance", "sort"),
        ("sort=best", "sort"),
        ("postcode=00000", "postcode"),
    ],
)
def test_bad_search_parameters_are_400_problems_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["field"] == field


def _seed(cli_env: dict[str, str]) -> None:
    engine = db.make_engine(cli_env["REFERRAL_DATABASE_URL"])
    db.upgrade(engine)
    with Session(engine) as session:
        listing(session, "Food Pantry", lat=25.77, lon=-80.19)
        listing(session, "Family Shelter", lat=25.78, lon=-80.2)
        session.commit()
    engine.dispose()


def test_search_command_prints_json_with_the_documented_shape(cli_env):
    _seed(cli_env)
    runner = CliRunner()
    reindexed = runner.invoke(main, ["reindex"], env=cli_env)
    assert reindexed.exit_code == 0, reindexed.output
    assert "Indexed 2 service-at-locations" in reindexed.output
    result = runner.invoke(
        main,
        ["search", "shelther", "--near", "25.76,-80.19", "--radius-km", "10", "--json"],
        env=cli_env,
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["total"] == 1
    first = body["results"][0]
    for key in (
        "service_at_location_id",
        "service_id",
        "service_name",
        "organization_name",
        "score",
        "distance_km",
    ):
        assert key in first
    assert first["service_name"] == "Family Shelter" and first["distance_km"] < 10


def test_search_command_rejects_bad_input_with_a_clear_message(cli_env):
    _seed(cli_env)
    result = CliRunner().invoke(main, ["search", "food", "--near", "999,1"], env=cli_env)
    assert result.exit_code != 0
    assert "--near" in result.output


@pytest.mark.slow
def test_bench_search_reports_latency_build_rate_and_memory(cli_env, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "bench",
            "search",
            "--sizes",
            "300",
            "--repeat",
            "3",
            "--workdir",
            str(tmp_path),
            "--json",
        ],
        env=cli_env,
    )
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)
    assert report["documents"] == 300
    assert set(report["latency_ms"]) >= {"keyword", "keyword_radius", "typo", "taxonomy_radius"}
    assert report["build_docs_per_s"] > 0 and report["peak_memory_mb"] > 0
