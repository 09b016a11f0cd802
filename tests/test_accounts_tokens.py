"""API tokens: shown once, stored as a digest, scoped, revocable."""

from __future__ import annotations

import re

import pytest
from accounts_helpers import make_org, make_service, make_user, sign_in
from sqlalchemy import select

from referral.accounts import audit, policy, tokens, users
from referral.accounts.models import (
    CASE_MANAGER,
    PROVIDER_STAFF,
    ApiToken,
    SecurityAuditEvent,
)
from referral.accounts.users import AccountError
from referral.directory.models import Metadata

CLI = audit.Context(actor="test")


@pytest.fixture
def world(session):
    own, other = make_org(session, "Harbor Food Bank"), make_org(session, "Hilltop Shelter")
    provider = make_user(session, "staff@example.org", PROVIDER_STAFF, own.id)
    return {
        "provider": provider,
        "own_service": make_service(session, own),
        "other_service": make_service(session, other),
        "own": own,
        "other": other,
    }


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_token_secret_is_shown_once_and_only_its_digest_is_stored(session, world):
    token, secret = tokens.create_token(
        session, CLI, world["provider"], "sync job", [policy.SCOPE_DIRECTORY_READ]
    )
    assert secret.startswith("rfl_") and len(secret) > 40
    stored = session.get(ApiToken, token.id)
    assert secret not in (stored.token_hash, stored.prefix, stored.scopes, stored.name)
    assert stored.token_hash == tokens.digest(secret)


def test_token_page_shows_the_secret_once(app, client, world):
    sign_in(app, client, world["provider"])
    created = client.post("/account/tokens", data={"name": "sync", "scopes": "directory:read"})
    assert created.status_code == 201
    secret = re.search(r"rfl_[\w-]+", created.get_data(as_text=True)).group(0)
    assert secret not in client.get("/account/tokens").get_data(as_text=True)
    assert created.headers["Cache-Control"] == "no-store"


def test_bearer_token_identifies_its_user_and_scopes(client, session, world):
    _token, secret = tokens.create_token(
        session, CLI, world["provider"], "sync", [policy.SCOPE_DIRECTORY_READ]
    )
    me = client.get("/api/v1/me", headers=bearer(secret))
    assert me.status_code == 200
    assert me.json["email"] == "staff@example.org"
    assert me.json["token"]["scopes"] == ["directory:read"]


def test_listings_write_token_edits_own_organizations_service(client, session, world):
    _token, secret = tokens.create_token(
        session, CLI, world["provider"], "sync", [policy.SCOPE_LISTINGS_WRITE], world["own"].id
    )
    service = world["own_service"]
    response = client.patch(
        f"/api/v1/services/{service.id}",
        json={"name": "Food pantry (Tuesdays)"},
        headers=bearer(secret),
    )
    assert response.status_code == 200
    assert response.json["name"] == "Food pantry (Tuesdays)"
    trail = session.scalars(select(Metadata).where(Metadata.resource_id == service.id)).all()
    assert any(m.field_name == "name" and m.updated_by == "staff@example.org" for m in trail)


def test_listings_write_token_cannot_edit_another_organizations_service(client, session, world):
    _token, secret = tokens.create_token(
        session, CLI, world["provider"], "sync", [policy.SCOPE_LISTINGS_WRITE], world["own"].id
    )
    response = client.patch(
        f"/api/v1/services/{world['other_service'].id}",
        json={"name": "Mine now"},
        headers=bearer(secret),
    )
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_read_only_token_cannot_write_and_says_insufficient_scope(client, session, world):
    _token, secret = tokens.create_token(
        session, CLI, world["provider"], "sync", [policy.SCOPE_DIRECTORY_READ]
    )
    response = client.patch(
        f"/api/v1/services/{world['own_service'].id}", json={"name": "x"}, headers=bearer(secret)
    )
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_revoked_token_is_refused(client, session, world):
    token, secret = tokens.create_token(
        session, CLI, world["provider"], "sync", [policy.SCOPE_DIRECTORY_READ]
    )
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    tokens.revoke_token(session, CLI, token)
    session.flush()
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_revoking_through_the_web_page(app, client, session, world):
    token, secret = tokens.create_token(
        session, CLI, world["provider"], "sync", [policy.SCOPE_DIRECTORY_READ]
    )
    sign_in(app, client, world["provider"])
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 303
    assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_nobody_revokes_someone_elses_token(app, client, session, world):
    token, secret = tokens.create_token(
        session, CLI, world["provider"], "sync", [policy.SCOPE_DIRECTORY_READ]
    )
    stranger = make_user(session, "other@example.org", CASE_MANAGER, world["own"].id)
    sign_in(app, client, stranger)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 403
    assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 200


def test_token_of_a_disabled_user_is_refused(client, session, world):
    _token, secret = tokens.create_token(
        session, CLI, world["provider"], "sync", [policy.SCOPE_DIRECTORY_READ]
    )
    users.disable_user(session, CLI, world["provider"])
    session.flush()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_unknown_token_is_refused_even_on_public_routes(client):
    response = client.get("/hsds/services", headers=bearer("rfl_made-up"))
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_token_use_and_rejection_are_audited(client, session, world):
    token, secret = tokens.create_token(
        session, CLI, world["provider"], "sync", [policy.SCOPE_DIRECTORY_READ]
    )
    client.get("/api/v1/me", headers=bearer(secret))
    client.get("/api/v1/me", headers=bearer("rfl_wrong"))
    kinds = session.scalars(select(SecurityAuditEvent.event_type)).all()
    assert {audit.TOKEN_CREATED, audit.TOKEN_USED, audit.TOKEN_REJECTED} <= set(kinds)
    used = session.scalars(
        select(SecurityAuditEvent).where(SecurityAuditEvent.event_type == audit.TOKEN_USED)
    ).one()
    assert (used.target_id, used.detail["path"]) == (token.id, "/api/v1/me")


def test_nobody_gets_a_token_scope_their_roles_do_not_allow(session, world):
    manager = make_user(session, "cm@example.org", CASE_MANAGER, world["own"].id)
    with pytest.raises(AccountError, match="listings:write"):
        tokens.create_token(session, CLI, manager, "x", [policy.SCOPE_LISTINGS_WRITE])
    with pytest.raises(AccountError, match="listings:write"):
        tokens.create_token(
            session, CLI, world["provider"], "x", [policy.SCOPE_LISTINGS_WRITE], world["other"].id
        )
    with pytest.raises(AccountError, match="unknown scope"):
        tokens.create_token(session, CLI, manager, "x", ["admin"])


def test_bad_token_form_input_is_a_form_error(app, client, world):
    sign_in(app, client, world["provider"])
    response = client.post("/account/tokens", data={"name": "", "scopes": "directory:read"})
    assert response.status_code == 400
    assert b"give the token a name" in response.data


def test_listing_edit_validates_fields_and_names_the_bad_one(client, session, world):
    _token, secret = tokens.create_token(
        session, CLI, world["provider"], "sync", [policy.SCOPE_LISTINGS_WRITE], world["own"].id
    )
    url = f"/api/v1/services/{world['own_service'].id}"
    bad_status = client.patch(url, json={"status": "open"}, headers=bearer(secret))
    assert (bad_status.status_code, bad_status.json["field"]) == (400, "status")
    unknown = client.patch(url, json={"organization_id": "x"}, headers=bearer(secret))
    assert (unknown.status_code, unknown.json["field"]) == (400, "organization_id")
    assert client.patch(url, json={}, headers=bearer(secret)).status_code == 400
    missing = client.patch("/api/v1/services/nope", json={"name": "x"}, headers=bearer(secret))
    assert missing.status_code == 404
