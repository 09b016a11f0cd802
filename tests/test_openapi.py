"""The served OpenAPI document: one valid description of every /api/v1 route, and the
HTML reference page rendered from it on the server."""

from __future__ import annotations

import re

import pytest
from accounts_helpers import make_org, make_service, make_user
from jsonschema import Draft202012Validator
from referrals_helpers import bearer

from referral.api import openapi

IGNORED = {"HEAD", "OPTIONS"}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.json


def _api_operations(app) -> set[tuple[str, str]]:
    return {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - IGNORED
    }


def _documented(document) -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in openapi.HTTP_METHODS
    }


def test_every_api_v1_route_is_documented(app, document):
    missing = sorted(_api_operations(app) - _documented(document))
    assert not missing, f"add these to a fragment in referral/api/openapi/: {missing}"


def test_the_document_describes_no_route_the_app_does_not_have(app, document):
    assert not sorted(_documented(document) - _api_operations(app))


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in openapi.HTTP_METHODS:
                yield path, method, operation


def test_the_document_has_the_openapi_3_1_shape(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    assert document["components"]["securitySchemes"]
    ids = [op["operationId"] for _, _, op in _operations(document)]
    assert len(ids) == len(set(ids)), "operationIds must be unique"
    for path, method, operation in _operations(document):
        assert path.startswith("/api/v1/"), path
        assert operation["responses"], f"{method} {path} has no responses"
        for code, response in operation["responses"].items():
            assert re.fullmatch(r"[1-5]\d\d|[1-5]XX|default", code), (path, code)
            assert response["description"], (path, code)
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"\{(\w+)\}", path)), f"{method} {path}"
        for parameter in operation.get("parameters", []):
            assert parameter["in"] in ("query", "path", "header", "cookie")
            assert parameter["in"] != "path" or parameter["required"] is True
        for requirement in operation.get("security", document["security"]):
            assert set(requirement) <= set(document["components"]["securitySchemes"])


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_reference_resolves_and_every_schema_is_valid_json_schema(document):
    schemas = document["components"]["schemas"]
    for ref in set(_refs(document)):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[-1] in schemas, f"{ref} points nowhere"
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)


def _check(document, name, instance):
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    Draft202012Validator(schema).validate(instance)


def test_real_responses_of_the_core_routes_match_their_schemas(client, session, document):
    found = client.get("/api/v1/search?q=food")
    _check(document, "SearchResults", found.json)
    _check(document, "Problem", client.get("/api/v1/search?radius_km=5").json)
    organization = make_org(session, "Harbor Food Bank")
    service = make_service(session, organization)
    staff = make_user(session, "staff@example.org", "provider_staff", organization.id)
    headers = bearer(session, staff, "listings:write")
    _check(document, "Me", client.get("/api/v1/me", headers=headers).json)
    changed = client.patch(
        f"/api/v1/services/{service.id}", json={"wait_time": "a week"}, headers=headers
    )
    assert changed.status_code == 200
    _check(document, "ServiceListing", changed.json)
    checked = client.post(
        "/api/v1/eligibility", json={"service_id": service.id, "client": {"facts": {"age": 40}}}
    )
    _check(document, "EligibilityResult", checked.json)
    matched = client.post("/api/v1/match", json={"needs": ["food-insecurity"]})
    _check(document, "MatchResult", matched.json)


def test_fragments_that_describe_one_path_twice_differently_are_refused():
    one = {"paths": {"/api/v1/x": {"get": {"responses": {"200": {"description": "a"}}}}}}
    two = {"paths": {"/api/v1/x": {"get": {"responses": {"200": {"description": "b"}}}}}}
    with pytest.raises(openapi.FragmentClash):
        openapi.merge({"one.json": one, "two.json": two})


def test_the_reference_page_is_rendered_by_the_server_from_the_document(client, document):
    response = client.get("/api/docs")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    for path, method, _ in _operations(document):
        assert f"<code>{method.upper()} {path}</code>" in html
    assert 'id="schema-Referral"' in html and 'id="schema-SearchResults"' in html
    # Rendered by the server, not by a JavaScript viewer: the only script is the site's own.
    scripts = re.findall(r"<script[^>]*>", html)
    assert all('src="/static/site.js' in tag for tag in scripts), scripts
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), "no external requests"
    assert html.count("<h1") == 1
