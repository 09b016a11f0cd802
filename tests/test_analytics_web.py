"""The analytics pages, CSV exports, JSON API and ``referral report``: who may see
what, and that every output carries the same figures (suppressed outside the owner)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from accounts_helpers import make_user, sign_in
from analytics_helpers import T0, build_history, send
from referrals_helpers import bearer

from referral.accounts import policy

MARCH = "from=2026-03-01&to=2026-03-31"


@pytest.fixture
def history(session):
    return build_history(session)


def agency_admin(session, history):
    return make_user(session, "admin@example.org", "agency_admin", history.world.agency.id)


def test_agency_admin_sees_its_own_figures_exactly_on_the_dashboard(app, client, session, history):
    sign_in(app, client, agency_admin(session, history))
    page = client.get(f"/analytics?{MARCH}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Referral analytics</h1>" in html
    assert "71.4 %" in html  # response rate 5 / 7, exact: its own organization
    assert "/analytics/charts/funnel.svg" in html
    assert "small counts suppressed" not in html


def test_csv_export_of_a_table_has_the_same_figures(app, client, session, history):
    sign_in(app, client, agency_admin(session, history))
    response = client.get(f"/analytics/by-need.csv?{MARCH}")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["label"]: r["sent"] for r in rows} == {
        "Food insecurity": "6",
        "Housing instability": "1",
        "All": "7",
    }


def test_shareable_export_suppresses_small_counts(app, client, session, history):
    sign_in(app, client, agency_admin(session, history))
    body = client.get(f"/analytics/summary.csv?{MARCH}&shareable=1").get_data(as_text=True)
    values = list(csv.DictReader(io.StringIO(body)))[0]
    assert values["sent"] == "<11" and values["response_rate"] == "suppressed"


def test_system_admin_sees_every_organization_but_suppressed(app, client, session, history):
    sign_in(app, client, make_user(session, "root@example.org", "system_admin"))
    data = client.get(f"/api/v1/analytics/summary?{MARCH}").get_json()
    assert data["suppressed"] is True
    assert data["rows"][0]["sent"] == "<11"
    assert "Response rate" in data["definitions"]["response_rate"]


def test_api_returns_exact_figures_to_the_owning_agency_by_token(session, client, history):
    admin = agency_admin(session, history)
    headers = bearer(session, admin, policy.SCOPE_ANALYTICS_READ)
    data = client.get(f"/api/v1/analytics/funnel?{MARCH}", headers=headers).get_json()
    assert data["rows"][0]["requested"] == 7 and data["rows"][0]["completed"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=2026-02-30", "from"), ("need=hunger", "need"), ("zip=12", "zip")],
)
def test_bad_dates_and_filters_are_problem_json_naming_the_field(
    app, client, session, history, query, field
):
    sign_in(app, client, agency_admin(session, history))
    response = client.get(f"/api/v1/analytics/summary?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["field"] == field


def test_bad_filter_on_the_page_is_shown_beside_the_form(app, client, session, history):
    sign_in(app, client, agency_admin(session, history))
    response = client.get("/analytics?to=not-a-date")
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["case_manager", "provider_staff", "curator"])
def test_case_managers_providers_and_curators_cannot_see_agency_analytics(
    app, client, session, history, role
):
    org = history.world.agency.id if role != "curator" else None
    sign_in(app, client, make_user(session, f"{role}@example.org", role, org))
    assert client.get("/analytics").status_code == 403
    assert client.get("/analytics/summary.csv").status_code == 403
    assert client.get("/api/v1/analytics/summary").status_code == 403


def test_an_agency_admin_cannot_ask_for_another_organizations_figures(
    app, client, session, history
):
    sign_in(app, client, agency_admin(session, history))
    other = history.world.provider.id
    assert client.get(f"/analytics?organization={other}").status_code == 403


def test_provider_sees_its_own_view_and_not_another_providers(app, client, session, history):
    sign_in(app, client, history.world.staff)
    own = client.get(f"/analytics/provider?{MARCH}")
    assert own.status_code == 200
    assert "Referrals received by Harbor Food Bank" in own.get_data(as_text=True)
    data = client.get(
        f"/api/v1/analytics/summary?provider_view=1&organization={history.world.provider.id}"
        f"&{MARCH}"
    ).get_json()
    assert data["rows"][0]["sent"] == 7 and data["suppressed"] is False
    other = client.get(f"/analytics/provider?organization={history.world.agency.id}")
    assert other.status_code == 403


def test_charts_are_svg_images(app, client, session, history):
    sign_in(app, client, agency_admin(session, history))
    for name in ("funnel", "monthly", "need", "reasons"):
        response = client.get(f"/analytics/charts/{name}.svg?{MARCH}")
        assert response.mimetype == "image/svg+xml"
        assert b"<svg" in response.data and b"<script" not in response.data


def test_report_command_prints_csv_and_json(app, session, history, monkeypatch):
    from contextlib import contextmanager

    from click.testing import CliRunner

    from referral.analytics import commands

    @contextmanager
    def same_app(**_):
        with app.app_context():
            yield app

    monkeypatch.setattr(commands, "app_context", same_app)
    runner = CliRunner()
    args = ["--from", "2026-03-01", "--to", "2026-03-31", "--table", "funnel"]
    out = runner.invoke(commands.report_command, [*args, "--format", "json", "--no-suppress"])
    assert out.exit_code == 0, out.output
    funnel = json.loads(out.output)["tables"][0]
    assert funnel["rows"][0]["requested"] == 7
    out = runner.invoke(commands.report_command, [*args, "--format", "csv"])
    assert out.output.splitlines()[:3] == [
        "# funnel",
        "requested,accepted,accepted_share,completed,completed_share",
        "<11,<11,suppressed,<11,suppressed",
    ]
    bad = runner.invoke(commands.report_command, ["--from", "2026-31-01"])
    assert bad.exit_code != 0 and "not a date" in bad.output


def test_the_api_docs_carry_the_same_definitions_as_the_page(client):
    from referral.analytics import openapi
    from referral.analytics.metrics import DEFINITIONS

    assert openapi.FRAGMENT.read_text(encoding="utf-8") == openapi.rendered()
    spec = client.get("/api/v1/openapi.json").get_json()
    described = spec["paths"]["/api/v1/analytics/{group}"]["get"]["description"]
    assert all(str(text) in described for text in DEFINITIONS.values())


def test_provider_csv_and_chart_are_the_providers_own(app, client, session, history):
    sign_in(app, client, history.world.staff)
    org = history.world.provider.id
    body = client.get(f"/analytics/provider/funnel.csv?organization={org}&{MARCH}")
    assert body.status_code == 200
    assert body.get_data(as_text=True).splitlines()[1].startswith("7,3,")
    chart = client.get(f"/analytics/provider/charts/funnel.svg?organization={org}&{MARCH}")
    assert chart.mimetype == "image/svg+xml"


def test_rejection_reasons_are_named_in_the_readers_language(app, client, session, history):
    sign_in(app, client, agency_admin(session, history))
    english = client.get(f"/analytics/rejections.csv?{MARCH}").get_data(as_text=True)
    spanish = client.get(f"/analytics/rejections.csv?{MARCH}&lang=es").get_data(as_text=True)
    english_labels = {r["label"] for r in csv.DictReader(io.StringIO(english))}
    spanish_labels = {r["label"] for r in csv.DictReader(io.StringIO(spanish))}
    assert "Not eligible" in english_labels and "not-eligible" not in english_labels
    assert "No cumple los requisitos" in spanish_labels


def test_a_group_with_no_zip_is_named_in_the_readers_language(app, client, session, history):
    sign_in(app, client, agency_admin(session, history))
    for lang, unknown in (("en", "unknown"), ("es", "desconocido")):
        body = client.get(f"/analytics/unmet-needs.csv?{MARCH}&lang={lang}").get_data(as_text=True)
        assert unknown in {r["zip"] for r in csv.DictReader(io.StringIO(body))}


def test_tables_reused_by_the_charts_are_reused_in_their_own_language_only(
    app, client, session, history, monkeypatch
):
    # Outside tests the page's tables are kept a minute for its charts.
    monkeypatch.setattr(app, "testing", False)
    sign_in(app, client, agency_admin(session, history))
    assert "Food insecurity" in client.get(f"/analytics?{MARCH}&lang=en").get_data(as_text=True)
    spanish = client.get(f"/analytics?{MARCH}&lang=es").get_data(as_text=True)
    assert "Inseguridad alimentaria" in spanish and "Food insecurity" not in spanish


@pytest.mark.parametrize(("reuse", "food_after"), [(None, "6"), (0, "7")])
def test_tables_are_reused_for_a_minute_unless_the_setting_says_0(
    app, client, session, history, monkeypatch, reuse, food_after
):
    monkeypatch.setattr(app, "testing", False)
    if reuse is not None:
        monkeypatch.setitem(app.config, "ANALYTICS_REUSE_SECONDS", reuse)
    sign_in(app, client, agency_admin(session, history))

    def food_sent() -> str:
        body = client.get(f"/analytics/by-need.csv?{MARCH}").get_data(as_text=True)
        return {r["label"]: r["sent"] for r in csv.DictReader(io.StringIO(body))}["Food insecurity"]

    assert food_sent() == "6"
    send(session, history.world, "one-more", T0)
    session.flush()
    assert food_sent() == food_after
