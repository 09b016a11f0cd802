"""Who is asking: Flask-Login sessions backed by server-side session rows, bearer
tokens for the API, and how a refusal is answered (401/403, problem+json or page)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import flask
from flask import Flask, Request, Response, current_app, redirect, request, url_for
from flask_login import LoginManager, current_user, login_user, logout_user

from referral import db
from referral.accounts import audit, policy, sessions, tokens
from referral.accounts.models import User, utcnow
from referral.api.problems import API_PREFIXES, problem_response

SESSION_KEY = "sid"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_login(app: Flask) -> LoginManager:
    manager = LoginManager(app)
    # Sessions are checked on the server (user_session rows); Flask-Login's own
    # address/agent fingerprint would only sign out people whose mobile IP changes.
    manager.session_protection = None
    manager.user_loader(_load_user)
    manager.request_loader(_load_from_bearer)
    manager.unauthorized_handler(_unauthorized)
    app.register_error_handler(policy.Forbidden, _forbidden)
    app.before_request(_reject_bad_bearer)
    return manager


def context() -> audit.Context:
    user = current_user if current_user else None
    return audit.Context.of(user, request.remote_addr)  # type: ignore[arg-type]


def start_session(user: User) -> None:
    """Sign in with a brand-new session: whatever the browser had is discarded, so a
    session id planted before login is worth nothing after it (ASVS 3.2.1)."""
    db_session = db.session()
    previous = flask.session.get(SESSION_KEY)
    if previous:
        sessions.end_session(db_session, str(previous))
    flask.session.clear()
    login = sessions.open_session(db_session, user.id)
    flask.session[SESSION_KEY] = login.id
    login_user(user)
    user.last_login_at = utcnow()
    audit.record(db_session, audit.Context.of(user, request.remote_addr), audit.LOGIN)


def end_session() -> None:
    db_session = db.session()
    if current_user.is_authenticated:
        sessions.end_session(db_session, flask.session.get(SESSION_KEY, ""))
        audit.record(db_session, context(), audit.LOGOUT)
    logout_user()
    flask.session.clear()


def current_session_id() -> str | None:
    return flask.session.get(SESSION_KEY)


def _bearer(req: Request) -> str | None:
    scheme, _, credentials = req.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def _load_user(user_id: str) -> User | None:
    # A bearer token wins over a cookie; and API writes never ride on a cookie,
    # which is what lets the API skip CSRF tokens.
    if _bearer(request) is not None:
        return None
    if request.path.startswith(API_PREFIXES) and request.method not in SAFE_METHODS:
        return None
    db_session = db.session()
    login = sessions.live_session(
        db_session,
        str(flask.session.get(SESSION_KEY, "")),
        user_id,
        idle=timedelta(minutes=int(current_app.config["SESSION_IDLE_MINUTES"])),
        lifetime=timedelta(hours=int(current_app.config["SESSION_MAX_HOURS"])),
    )
    user = db_session.get(User, user_id) if login is not None else None
    db_session.commit()  # keeps last_seen_at, or the end of a timed-out session
    if user is None or not user.active:
        flask.session.clear()
        return None
    return user


def _load_from_bearer(req: Request) -> User | None:
    secret = _bearer(req)
    if not secret:
        return None
    db_session = db.session()
    token = tokens.authenticate_token(db_session, secret)
    ctx = audit.Context(actor="token", ip_address=req.remote_addr)
    if token is None:
        audit.record(db_session, ctx, audit.TOKEN_REJECTED, prefix=secret[:10], path=req.path)
        db_session.commit()
        return None
    user = token.user
    user.api_token = token  # type: ignore[assignment]  # a plain attribute, see models.User
    audit.record(
        db_session,
        audit.Context.of(user, req.remote_addr),
        audit.TOKEN_USED,
        target=("api_token", token.id),
        method=req.method,
        path=req.path,
    )
    db_session.commit()
    return user


def _reject_bad_bearer() -> Response | None:
    """A request that presents a bearer token must present a good one (RFC 6750)."""
    if _bearer(request) is None or current_user.is_authenticated:
        return None
    response = problem_response(
        401, "Unauthorized", "The bearer token is unknown, revoked or belongs to a disabled user."
    )
    response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def _unauthorized() -> Response:
    return _refusal(401)


def _forbidden(exc: policy.Forbidden) -> Response:
    if exc.status == 403:
        db_session = db.session()
        db_session.rollback()
        audit.record(
            db_session, context(), audit.ACCESS_DENIED, action=exc.action, path=request.path
        )
        db_session.commit()
    return _refusal(exc.status, exc.action)


def _refusal(status: int, action: str | None = None) -> Response:
    if request.path.startswith(API_PREFIXES):
        return _api_refusal(status, action)
    if status == 401:
        return redirect(url_for("accounts.login", next=_local_path()), 303)  # type: ignore[return-value]
    return current_app.handle_http_exception(_http_error(status))  # type: ignore[return-value]


def _api_refusal(status: int, action: str | None) -> Response:
    if status == 401:
        response = problem_response(401, "Unauthorized", "Sign in or send a bearer token.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="referral"'
        return response
    if action and policy.insufficient_scope(current_user, action):
        response = problem_response(
            403, "Forbidden", f"The token's scopes do not allow {action}.", action=action
        )
        response.headers["WWW-Authenticate"] = 'Bearer error="insufficient_scope"'
        return response
    return problem_response(403, "Forbidden", "You may not do this.", action=action)


def _http_error(status: int) -> Any:
    from werkzeug.exceptions import Forbidden, Unauthorized

    return Unauthorized() if status == 401 else Forbidden()


def _local_path() -> str:
    return request.full_path.rstrip("?") if request.method == "GET" else request.path


def safe_next(target: str | None) -> str | None:
    """Only same-site paths, so the login form cannot bounce people elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
