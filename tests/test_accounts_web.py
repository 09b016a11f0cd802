"""Sign-in, sessions, CSRF, rate limits, headers and cookies, through the web."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from accounts_helpers import PASSWORD, make_org, make_user, sign_in
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from referral import create_app
from referral.accounts import audit
from referral.accounts.models import (
    CASE_MANAGER,
    SecurityAuditEvent,
    UserSession,
    utcnow,
)


@pytest.fixture
def make_app(connection, database_url, tmp_path):
    """An app like the shared ``app`` fixture, with settings of the test's choosing."""
    made = []

    def build(**settings):
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": database_url,
                "INSTANCE_DIR": str(tmp_path / "instance"),
                "SECRET_KEY": "test-secret",
                "WTF_CSRF_ENABLED": False,
                **settings,
            }
        )
        app.extensions["referral.sessionmaker"] = sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        made.append(app)
        return app

    yield build
    for app in made:
        app.extensions["referral.engine"].dispose()


@pytest.fixture
def member(session):
    organization = make_org(session, "Harbor Food Bank")
    return make_user(session, "case@example.org", CASE_MANAGER, organization.id)


def events(session, event_type):
    query = select(SecurityAuditEvent).where(SecurityAuditEvent.event_type == event_type)
    return list(session.scalars(query))


def login(client, email="case@example.org", password=PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_login_with_the_right_password_signs_in_and_is_audited(client, member, session):
    response = login(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200
    assert [e.user_id for e in events(session, audit.LOGIN)] == [member.id]


def test_login_with_a_wrong_password_fails_without_saying_which_part_was_wrong(
    client, member, session
):
    response = login(client, password="wrong password here")
    assert response.status_code == 401
    assert b"do not match an active account" in response.data
    unknown = login(client, email="nobody@example.org")
    assert unknown.status_code == 401
    assert b"do not match an active account" in unknown.data
    failures = events(session, audit.LOGIN_FAILED)
    assert [f.detail["email"] for f in failures] == ["case@example.org", "nobody@example.org"]


def test_login_goes_back_to_a_local_next_page_but_never_off_site(client, member):
    assert login(client, next="/account/tokens").headers["Location"] == "/account/tokens"
    client.post("/logout")
    assert login(client, next="//evil.example/").headers["Location"] == "/account"


def test_login_regenerates_the_session(client, member, session):
    with client.session_transaction() as planted:
        planted["sid"] = "planted-by-an-attacker"
        planted["leftover"] = "from before login"
    login(client)
    with client.session_transaction() as cookie:
        assert "leftover" not in cookie
        sid = cookie["sid"]
    assert sid != "planted-by-an-attacker"
    assert session.get(UserSession, sid).user_id == member.id
    client.post("/logout")
    login(client)
    with client.session_transaction() as cookie:
        assert cookie["sid"] != sid


def test_signing_in_again_ends_the_session_it_replaces(app, client, member, session):
    old_sid = sign_in(app, client, member)
    login(client)
    assert session.get(UserSession, old_sid).ended_at is not None


def test_logout_ends_the_session_on_the_server_so_a_copied_cookie_is_useless(
    app, client, member, session
):
    login(client)
    stolen = app.test_client()
    stolen.set_cookie("session", client.get_cookie("session").value)
    assert stolen.get("/account").status_code == 200
    client.post("/logout")
    assert stolen.get("/account").status_code == 303
    assert events(session, audit.LOGOUT)


def test_idle_session_times_out(app, client, member, session):
    sid = sign_in(app, client, member)
    assert client.get("/account").status_code == 200
    login_row = session.get(UserSession, sid)
    login_row.last_seen_at = utcnow() - timedelta(minutes=31)
    session.flush()
    response = client.get("/account")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/login?next=/account")
    session.refresh(login_row)
    assert login_row.ended_at is not None


def test_session_ends_after_its_absolute_lifetime_even_if_busy(app, client, member, session):
    sid = sign_in(app, client, member)
    session.get(UserSession, sid).created_at = utcnow() - timedelta(hours=13)
    session.flush()
    assert client.get("/account").status_code == 303


def test_disabling_a_user_signs_them_out_everywhere(app, member, session):
    phone, laptop = app.test_client(), app.test_client()
    sign_in(app, phone, member)
    sign_in(app, laptop, member)
    admin = make_user(session, "root@example.org", "system_admin")
    admin_client = app.test_client()
    sign_in(app, admin_client, admin)
    assert admin_client.post(f"/manage/users/{member.id}/disable").status_code == 303
    assert phone.get("/account").status_code == 303
    assert laptop.get("/account").status_code == 303
    assert login(app.test_client()).status_code == 401
    assert events(session, audit.USER_DISABLED)[0].detail["sessions_ended"] == 2


def test_changing_the_password_ends_the_other_sessions_only(app, member):
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(app, here, member)
    sign_in(app, elsewhere, member)
    response = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert response.status_code == 303
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 303
    assert login(app.test_client(), password="a brand new passphrase").status_code == 303


def test_user_signs_out_their_other_sessions_from_the_account_page(app, member):
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(app, here, member)
    sign_in(app, elsewhere, member)
    assert b"signed in 2 times" in here.get("/account").data
    assert here.post("/account/sessions/end-others").status_code == 303
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 303


def test_new_password_must_follow_the_rules(app, client, member):
    sign_in(app, client, member)
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "password1234"}
    )
    assert response.status_code == 400
    assert b"too common" in response.data


def csrf_token(client, path="/login"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_form_post_without_csrf_token_is_rejected(make_app, member, session):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = login(client)
    assert response.status_code == 400
    assert not events(session, audit.LOGIN)


def test_form_post_with_a_forged_csrf_token_is_rejected(make_app, member):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    csrf_token(client)
    assert login(client, csrf_token="forged").status_code == 400


def test_form_post_with_the_csrf_token_from_the_form_is_accepted(make_app, member):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert login(client, csrf_token=csrf_token(client)).status_code == 303
    logout_without_token = client.post("/logout")
    assert logout_without_token.status_code == 400
    assert client.get("/account").status_code == 200


def test_api_writes_need_no_csrf_token_because_they_take_no_cookies(make_app, member):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login(client, csrf_token=csrf_token(client))
    response = client.patch("/api/v1/services/anything", json={"name": "x"})
    assert response.status_code == 401  # the session cookie does not count for writes
    assert response.mimetype == "application/problem+json"


def test_failed_logins_are_rate_limited_per_address(make_app, member, session):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [login(client, password=f"wrong guess {n}").status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert login(client).status_code == 429  # even the right password, until it passes
    assert events(session, audit.LOGIN_RATE_LIMITED)


def test_failed_logins_are_rate_limited_per_account_across_addresses(make_app, member):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    statuses = []
    for n in range(4):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"203.0.113.{n}"
        statuses.append(login(client, password="not the password").status_code)
    assert statuses == [401, 401, 401, 429]


def test_successful_logins_do_not_use_up_the_limit(make_app, member):
    app = make_app(LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    for _ in range(4):
        assert login(client).status_code == 303


def test_pages_carry_security_headers(client):
    headers = client.get("/login").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers


def test_hsts_is_sent_over_https(client):
    headers = client.get("/login", base_url="https://localhost").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_is_httponly_and_samesite_lax(client, member):
    cookie = login(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_cookie_is_secure_when_not_serving_on_loopback(make_app):
    served = make_app(HOST="0.0.0.0")
    assert served.config["SESSION_COOKIE_SECURE"] is True
    assert served.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert make_app(HOST="127.0.0.1").config["SESSION_COOKIE_SECURE"] is False
    assert make_app(HOST="127.0.0.1", COOKIE_SECURE=1).config["SESSION_COOKIE_SECURE"] is True


def test_pages_for_signed_in_users_are_never_cached(app, client, member):
    sign_in(app, client, member)
    assert client.get("/account").headers["Cache-Control"] == "no-store"
    assert client.get("/account/tokens").headers["Cache-Control"] == "no-store"


def test_protected_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 303
    assert response.headers["Location"] == "/login?next=/account"


def test_forbidden_page_is_a_friendly_html_page_without_internals(app, client, member):
    sign_in(app, client, member)
    response = client.get("/manage/audit")
    assert response.status_code == 403
    assert response.mimetype == "text/html"
    assert b"Traceback" not in response.data


def test_api_refusals_are_problem_json(app, client, member):
    anonymous = client.get("/api/v1/me")
    assert anonymous.status_code == 401
    assert anonymous.mimetype == "application/problem+json"
    assert anonymous.json["status"] == 401
    sign_in(app, client, member)
    assert client.get("/api/v1/me").json["email"] == "case@example.org"


def test_refused_actions_are_audited(app, client, member, session):
    sign_in(app, client, member)
    client.get("/manage/audit")
    denied = events(session, audit.ACCESS_DENIED)
    assert [(d.user_id, d.detail["action"]) for d in denied] == [(member.id, "audit.view")]


def test_login_page_needs_no_login_and_sets_no_cache_header(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Cache-Control" not in response.headers


def test_public_directory_works_without_login(client):
    assert client.get("/").status_code == 200
    assert client.get("/hsds/services").status_code == 200


def test_no_state_change_over_get(app, client, member, session):
    sign_in(app, client, member)
    assert client.get("/logout").status_code == 405
    assert client.get(f"/manage/users/{member.id}/disable").status_code == 405
    assert client.get("/account").status_code == 200


def test_unexpected_errors_show_no_internals(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def explode():
        raise RuntimeError("secret internal detail at /srv/db")

    app.add_url_rule("/api/v1/explode", "explode_api", explode)
    app.add_url_rule("/explode", "explode_page", explode)
    client = app.test_client()
    api = client.get("/api/v1/explode")
    assert (api.status_code, api.mimetype) == (500, "application/problem+json")
    page = client.get("/explode")
    assert page.status_code == 500
    for response in (api, page):
        assert b"secret internal detail" not in response.data
        assert b"Traceback" not in response.data


def test_sign_in_works_over_https_with_the_secure_host_cookie(make_app, member):
    client = make_app(HOST="0.0.0.0").test_client()
    https = {"base_url": "https://referral.example.org"}
    response = client.post(
        "/login", data={"email": "case@example.org", "password": PASSWORD}, **https
    )
    assert "__Host-session=" in response.headers["Set-Cookie"]
    assert "Secure" in response.headers["Set-Cookie"]
    assert client.get("/account", **https).status_code == 200


def test_the_page_header_offers_sign_in_and_then_account_and_sign_out(client, member):
    anonymous = client.get("/").get_data(as_text=True)
    assert 'href="/login"' in anonymous and "Sign out" not in anonymous
    login(client)
    signed_in = client.get("/").get_data(as_text=True)
    assert 'href="/account"' in signed_in
    assert 'action="/logout"' in signed_in and 'name="csrf_token"' in signed_in
    assert 'href="/login"' not in signed_in
