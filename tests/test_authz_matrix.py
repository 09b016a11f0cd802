"""Every route x every role (and anonymous) x own vs other organization's object,
against the explicit table in tests/authz_table.py. Zero unexpected 2xx.

API routes (/api/, /hsds) are called with a bearer token carrying every scope, since
the API takes no session cookie for writes; pages with the role's session cookie.
Each call runs in a savepoint that is rolled back, so calls cannot affect each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from accounts_helpers import PASSWORD, make_org, make_user, sign_in
from authz_table import ALLOW, ANONYMOUS, DENY, HIDDEN, PUBLIC, ROLES, TABLE, Route
from referrals_helpers import NEED, give_consent, make_client, make_place
from sqlalchemy.orm import sessionmaker

from referral import create_app
from referral.accounts import policy, tokens
from referral.accounts.models import ApiToken, Membership, User, utcnow
from referral.referrals import service as referral_service

IGNORED_METHODS = {"HEAD", "OPTIONS"}
API_PREFIXES = ("/api/", "/hsds")


def app_routes(app) -> set[str]:
    return {
        f"{method} {rule.endpoint}"
        for rule in app.url_map.iter_rules()
        for method in rule.methods - IGNORED_METHODS
    }


@pytest.fixture
def matrix_app(connection, database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    app.extensions["referral.sessionmaker"] = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield app
    app.extensions["referral.engine"].dispose()


def test_every_route_is_in_the_authorization_table(app):
    missing = sorted(app_routes(app) - set(TABLE))
    assert not missing, (
        "These routes have no row in tests/authz_table.py. Add one saying what each role "
        f"may do on its own and on another organization's object: {missing}"
    )


def test_the_authorization_table_lists_no_route_that_does_not_exist(app):
    stale = sorted(set(TABLE) - app_routes(app))
    assert not stale, f"tests/authz_table.py lists routes the app does not have: {stale}"


def test_every_role_has_an_expectation_on_every_route():
    incomplete = [key for key, route in TABLE.items() if set(route.expect) != set(ROLES)]
    assert not incomplete


@dataclass
class Scenario:
    users: dict[str, User]
    ids: dict[str, dict[str, Any]]  # "own"/"other" -> placeholder -> value

    def values(self, side: str, role: str) -> dict[str, Any]:
        values = dict(self.ids[side])
        values["token"] = self.ids[side]["token_of_" + role]
        values["password"] = PASSWORD
        return values


def fill(template: Any, values: dict[str, Any]) -> Any:
    """Placeholders filled in; a string that is one placeholder takes the value's type."""
    if isinstance(template, dict):
        return {key: fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, values) for value in template]
    if isinstance(template, str):
        whole = re.fullmatch(r"\{(\w+)\}", template)
        return values[whole.group(1)] if whole else template.format(**values)
    return template


@pytest.fixture
def scenario(session):
    own, other = make_org(session, "Harbor Food Bank"), make_org(session, "Hilltop Shelter")
    users = {role: make_user(session, f"{role}@example.org") for role in ROLES[1:]}
    for role, user in users.items():
        org_id = None if role in ("curator", "system_admin") else own.id
        user.memberships.append(Membership(role=role, organization_id=org_id))
    stranger = make_user(session, "stranger@example.org", "case_manager", other.id)
    make_user(session, "newcomer@example.org")
    session.flush()
    ids = {
        "own": _side(session, own, users["case_manager"], "own"),
        "other": _side(session, other, stranger, "other"),
    }
    stranger_token = _token(session, stranger)
    for role, user in users.items():
        ids["own"]["token_of_" + role] = _token(session, user)
        ids["other"]["token_of_" + role] = stranger_token
    ids["own"]["token_of_" + ANONYMOUS] = ids["other"]["token_of_" + ANONYMOUS] = stranger_token
    return Scenario(users, ids)


def _side(session, organization, case_manager: User, name: str) -> dict[str, Any]:
    """One organization's objects: a member, a service at a location, a client with
    consent, and a referral of that client to that organization's own service."""
    member = make_user(session, f"member-{name}@example.org", "case_manager", organization.id)
    place = make_place(session, organization)
    client = make_client(session, organization, case_manager)
    consent = give_consent(session, client, organization, by=case_manager)
    new = referral_service.NewReferral(
        client_id=client.id,
        need_code=NEED,
        service_at_location_id=place.id,
        idempotency_key=f"matrix-{name}",
        send=True,
    )
    referral, _ = referral_service.create_referral(session, new, case_manager, utcnow())
    session.flush()
    return {
        "org": organization.id,
        "service": place.service_id,
        "place": place.id,
        "member": member.id,
        "user": member.id,
        "client": client.id,
        "consent": consent.id,
        "referral": referral.id,
        "version": referral.version,
    }


def _token(session, user: User) -> str:
    token = ApiToken(
        user_id=user.id,
        name="matrix",
        token_hash=tokens.digest(f"rfl_matrix_{user.id}"),
        prefix="rfl_matrix",
        scopes=" ".join(policy.SCOPES),
    )
    session.add(token)
    session.flush()
    return token.id


def _call(app, scenario: Scenario, method: str, route: Route, side: str, role: str):
    client = app.test_client()
    values = scenario.values(side, role)
    path = fill(route.path, values)
    headers = {}
    if role != ANONYMOUS:
        user = scenario.users[role]
        if path.startswith(API_PREFIXES):
            headers["Authorization"] = f"Bearer rfl_matrix_{user.id}"
        else:
            sign_in(app, client, user)
    form = fill(route.form, values) if route.form else None
    body = fill(route.json, values) if route.json is not None else None
    return client.open(path, method=method, headers=headers, data=form, json=body)


def _names_an_object(route: Route) -> bool:
    return any("{" in str(part) for part in (route.path, route.json, route.form))


def _verdict(expected: str, response) -> str | None:
    status = response.status_code
    to_login = status in (302, 303) and response.headers["Location"].startswith("/login")
    if expected == PUBLIC and (status in (401, 403) or status >= 500 or to_login):
        return f"expected public access, got {status}"
    if expected == ALLOW and (status >= 400 or to_login):
        return f"expected allowed, got {status}"
    if expected == DENY and not (status in (401, 403) or to_login):
        return f"expected denied, got {status}"
    if expected == HIDDEN and not (status in (401, 403, 404) or to_login):
        return f"expected denied or not found, got {status}"
    return None


@pytest.mark.slow
def test_authorization_matrix(matrix_app, scenario, connection):
    failures = []
    for key, route in sorted(TABLE.items()):
        method = key.split()[0]
        sides = ("own", "other") if _names_an_object(route) else ("own",)
        for role in ROLES:
            for side in sides:
                expected = route.expect[role][0 if side == "own" else 1]
                savepoint = connection.begin_nested()
                try:
                    response = _call(matrix_app, scenario, method, route, side, role)
                finally:
                    savepoint.rollback()
                problem = _verdict(expected, response)
                response.close()
                if problem:
                    failures.append(f"{key} as {role} on {side}: {problem}")
    assert not failures, "\n".join(failures)
