"""The OpenAPI description of the clients and referrals API matches the app, and real
responses validate against its schemas."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referrals_helpers import bearer, make_world, send

import referral.api

OPENAPI = Path(referral.api.__file__).parent / "openapi" / "referrals.json"
BLUEPRINTS = ("referrals_api.", "clients_api.")


@pytest.fixture(scope="module")
def document():
    return json.loads(OPENAPI.read_text(encoding="utf-8"))


def _app_operations(app) -> set[tuple[str, str]]:
    return {
        (re.sub(r"<(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(BLUEPRINTS)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_referrals_route_is_documented_and_nothing_else(app, document):
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert documented == _app_operations(app)


def _check(document, schema_name, instance):
    schema = {"$ref": f"#/components/schemas/{schema_name}", **document}
    Draft202012Validator(schema).validate(instance)


def test_referral_client_and_event_responses_match_their_schemas(client, session, document):
    world = make_world(session, preference="do-not-contact")
    referral = send(session, world)
    staff, owner = bearer(session, world.staff), bearer(session, world.case_manager)
    _check(document, "Referral", client.get(f"/api/v1/referrals/{referral.id}", headers=staff).json)
    _check(document, "ReferralPage", client.get("/api/v1/referrals", headers=owner).json)
    _check(document, "Client", client.get(f"/api/v1/clients/{world.client.id}", headers=owner).json)
    events = client.get(f"/api/v1/referrals/{referral.id}/events", headers=staff).json["items"]
    for event in events:
        _check(document, "Event", event)
    stale = client.post(
        f"/api/v1/referrals/{referral.id}/transitions",
        json={"to": "accepted", "version": 99},
        headers=staff,
    )
    _check(document, "Problem", stale.json)
